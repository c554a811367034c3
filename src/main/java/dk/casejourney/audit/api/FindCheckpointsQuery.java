package dk.casejourney.audit.api;

/** Every signed checkpoint, oldest first, for export. */
public record FindCheckpointsQuery() {
}
