package dk.casejourney.audit.api;

/**
 * One checkpoint recomputed from the events as they are now: the signature holds and the heads of all chains
 * at its position still digest to what was signed. A mismatch means events up to that position were added,
 * altered or removed (e.g. the newest events of a case deleted) since the checkpoint was signed.
 */
public record CheckpointVerification(long checkpointId, long upToIndex, boolean signatureValid, boolean headsMatch,
                                     long aggregatesNow, String detail) {

    public boolean valid() {
        return signatureValid && headsMatch;
    }
}
