package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record RecordDecisionCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        DecisionOutcome outcome,
        String unit,
        Instant occurredAt) implements CaseCommand {
}
