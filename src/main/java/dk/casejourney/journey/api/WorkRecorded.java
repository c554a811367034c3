package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Work done on the case without the citizen, e.g. in a back office. */
@Revision("1")
public record WorkRecorded(
        String caseId,
        String entryId,
        String unit,
        String staffId,
        String activity,
        Instant startedAt,
        Instant endedAt,
        Instant occurredAt) implements CorrectableEntry {
}
