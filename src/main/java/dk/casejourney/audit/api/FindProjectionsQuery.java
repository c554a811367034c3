package dk.casejourney.audit.api;

/** Every processing group with its position, lag and state. Answers {@link ProjectionList}. */
public record FindProjectionsQuery() {
}
