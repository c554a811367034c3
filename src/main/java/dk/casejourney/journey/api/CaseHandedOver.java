package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The case moved from the unit that held it to another unit. */
@Revision("1")
public record CaseHandedOver(
        String caseId,
        String entryId,
        String fromUnit,
        String toUnit,
        HandoverReason reason,
        String note,
        Instant occurredAt) implements CaseEvent {
}
