package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record RecordSatisfactionCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        int score,
        Channel channel,
        Instant occurredAt) implements CaseCommand {
}
