package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record ResolveCaseCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String unit,
        Instant occurredAt) implements CaseCommand {
}
