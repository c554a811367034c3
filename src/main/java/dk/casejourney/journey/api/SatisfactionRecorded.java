package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A satisfaction score from 1 (poor) to 5 (excellent), with the channel it was given through. */
@Revision("1")
public record SatisfactionRecorded(
        String caseId,
        String entryId,
        int score,
        Channel channel,
        Instant occurredAt) implements CorrectableEntry {
}
