package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record HandOverCaseCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String fromUnit,
        String toUnit,
        HandoverReason reason,
        String note,
        Instant occurredAt) implements CaseCommand {
}
