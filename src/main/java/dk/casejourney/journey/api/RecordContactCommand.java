package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

public record RecordContactCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        Channel channel,
        Direction direction,
        String unit,
        String staffId,
        ContactPurpose purpose,
        Instant queuedAt,
        Instant startedAt,
        Instant endedAt) implements CaseCommand {

    /** A contact happens when it starts. */
    @Override
    public Instant occurredAt() {
        return startedAt;
    }

    @Override
    public Map<String, Instant> businessTimes() {
        return CaseCommand.times("queuedAt", queuedAt, "startedAt", startedAt, "endedAt", endedAt);
    }
}
