package dk.casejourney.journey.api;

/** One entry of a case's history. Answers {@link HistoryEntry}, or nothing. */
public record FindCaseEntryQuery(String caseId, String entryId) {
}
