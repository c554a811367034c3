package dk.casejourney.audit.api;

/** Recompute every case's hash chain. Answers {@link LedgerVerification}. */
public record VerifyLedgerQuery() {
}
