package dk.casejourney.audit.api;

/** One rebuild's progress. Answers {@link Rebuild}, or nothing. */
public record FindRebuildQuery(String processingGroup, String rebuildId) {
}
