package dk.casejourney.audit.api;

/**
 * Rebuild a projection from the ledger: stop it, copy its tables, reset its tokens, replay, then verify the
 * rebuilt tables equal to the copy. Answers the rebuild's id; progress through {@link FindRebuildQuery}.
 */
public record StartRebuildCommand(String processingGroup, String rebuildId) {
}
