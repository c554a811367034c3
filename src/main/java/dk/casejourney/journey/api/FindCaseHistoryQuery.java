package dk.casejourney.journey.api;

/** The case's timeline. Answers {@link CaseHistory}, or nothing for an unknown case. */
public record FindCaseHistoryQuery(String caseId) {
}
