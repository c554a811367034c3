package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** One interaction with the citizen through one channel; {@code queuedAt} is when the citizen started waiting. */
@Revision("1")
public record ContactRecorded(
        String caseId,
        String entryId,
        Channel channel,
        Direction direction,
        String unit,
        String staffId,
        ContactPurpose purpose,
        Instant queuedAt,
        Instant startedAt,
        Instant endedAt,
        Instant occurredAt) implements CorrectableEntry {
}
