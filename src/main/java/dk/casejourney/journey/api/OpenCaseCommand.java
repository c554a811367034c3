package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Opens a case. {@code sourceRef} and {@code source} are given only by imports from event logs (the trace's and
 * the log's name); only then may {@code cpr} be null, because historical logs carry no CPR numbers.
 */
public record OpenCaseCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String cpr,
        CitizenGroup citizenGroup,
        ServiceArea serviceArea,
        String municipality,
        Channel channel,
        String unit,
        Instant occurredAt,
        String sourceRef,
        String source) implements CaseCommand {

    /** A live case. */
    public OpenCaseCommand(String caseId, String entryId, String cpr, CitizenGroup citizenGroup,
                           ServiceArea serviceArea, String municipality, Channel channel, String unit,
                           Instant occurredAt) {
        this(caseId, entryId, cpr, citizenGroup, serviceArea, municipality, channel, unit, occurredAt, null, null);
    }

    @Override
    public String toString() {
        return "OpenCaseCommand[caseId=" + caseId + ", entryId=" + entryId + ", cpr=masked, sourceRef=" + sourceRef + "]";
    }
}
