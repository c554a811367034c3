package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

public record RecordWorkCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String unit,
        String staffId,
        String activity,
        Instant startedAt,
        Instant endedAt) implements CaseCommand {

    @Override
    public Instant occurredAt() {
        return startedAt;
    }

    @Override
    public Map<String, Instant> businessTimes() {
        return CaseCommand.times("startedAt", startedAt, "endedAt", endedAt);
    }
}
