package dk.casejourney.audit.api;

/**
 * The result of recomputing a case's hash chain: valid, or the first broken link.
 *
 * @param headDigest the digest of the last event checked; publishing it elsewhere lets an auditor detect
 *                   that events were removed from the end of the chain
 */
public record ChainVerification(String caseId, boolean valid, long eventsChecked, String headDigest,
                                BrokenLink firstBrokenLink) {

    public record BrokenLink(long sequenceNumber, String eventId, Reason reason, String detail) {
    }

    public enum Reason {
        /** The payload bytes, type or revision differ from what was digested when the event was stored. */
        PAYLOAD_ALTERED,
        /** The metadata, ids or recorded time differ from what was digested. */
        METADATA_ALTERED,
        /** The event does not point at the digest of the event before it. */
        CHAIN_BROKEN,
        /** Sequence numbers do not run 0, 1, 2, … without gaps. */
        SEQUENCE_GAP,
        /** The event carries no digest at all. */
        DIGEST_MISSING
    }
}
