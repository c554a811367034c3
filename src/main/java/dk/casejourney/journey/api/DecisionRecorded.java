package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A decision on the case by the unit that made it. */
@Revision("1")
public record DecisionRecorded(
        String caseId,
        String entryId,
        DecisionOutcome outcome,
        String unit,
        Instant occurredAt) implements CorrectableEntry {
}
