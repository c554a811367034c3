package dk.casejourney.journey.api;

/** Where a case is now. Answers {@link CaseView}, or nothing for an unknown case. */
public record FindCaseQuery(String caseId) {
}
