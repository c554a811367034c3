package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The citizen provided a piece of information. {@code answersRequestId} is the request it answers, or null
 * when the citizen volunteered it ({@code unsolicited}).
 */
@Revision("1")
public record InformationProvided(
        String caseId,
        String entryId,
        InformationType informationType,
        Channel channel,
        String unit,
        String answersRequestId,
        boolean unsolicited,
        Instant occurredAt) implements CorrectableEntry {
}
