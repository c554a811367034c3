package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** {@code answersRequestId} is optional: without it the oldest open request for the type is answered. */
public record ProvideInformationCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        InformationType informationType,
        Channel channel,
        String unit,
        String answersRequestId,
        Instant occurredAt) implements CaseCommand {
}
