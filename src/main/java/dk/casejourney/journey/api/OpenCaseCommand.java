package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record OpenCaseCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String cpr,
        CitizenGroup citizenGroup,
        ServiceArea serviceArea,
        String municipality,
        Channel channel,
        String unit,
        Instant occurredAt) implements CaseCommand {

    @Override
    public String toString() {
        return "OpenCaseCommand[caseId=" + caseId + ", entryId=" + entryId + ", cpr=masked]";
    }
}
