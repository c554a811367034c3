package dk.casejourney.audit.api;

/** Recompute one case's hash chain from the stored events. Answers {@link ChainVerification}, or nothing. */
public record VerifyCaseChainQuery(String caseId) {
}
