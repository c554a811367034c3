package dk.casejourney.audit.api;

/** The dead letters of one processing group, at most {@code limit} cases. Answers {@link DeadLetterList}. */
public record FindDeadLettersQuery(String processingGroup, int limit) {
}
