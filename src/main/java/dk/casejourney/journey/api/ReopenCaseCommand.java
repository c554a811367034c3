package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record ReopenCaseCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        ReopenReason reason,
        String unit,
        Instant occurredAt) implements CaseCommand {
}
