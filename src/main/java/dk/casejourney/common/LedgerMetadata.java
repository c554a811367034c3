package dk.casejourney.common;

/** Keys of the metadata the ledger records with each event, next to Axon's own. */
public final class LedgerMetadata {

    /** The signed-in person or system that recorded the event. */
    public static final String RECORDED_BY = "recordedBy";
    /** A keyed hash of the client's Idempotency-Key header (never the key), so a retried write is recognised. */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    /** A digest of the request a key was first used with, to refuse the same key with another body. */
    public static final String REQUEST_FINGERPRINT = "requestFingerprint";

    private LedgerMetadata() {
    }
}
