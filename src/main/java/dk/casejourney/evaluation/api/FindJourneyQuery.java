package dk.casejourney.evaluation.api;

/** A case's journey figures, computed now; answers {@code Optional<Journey>} (empty for an unknown case). */
public record FindJourneyQuery(String caseId) {
}
