package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.time.LocalDate;

public record RequestInformationCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        InformationType informationType,
        LocalDate dueDate,
        String unit,
        Instant occurredAt) implements CaseCommand {
}
