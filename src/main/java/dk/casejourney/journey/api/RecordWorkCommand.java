package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

/** {@code lifecycle} and {@code attributes} are only given by imports from event logs. */
public record RecordWorkCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String unit,
        String staffId,
        String activity,
        Instant startedAt,
        Instant endedAt,
        String lifecycle,
        Map<String, String> attributes) implements CaseCommand {

    public RecordWorkCommand {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public RecordWorkCommand(String caseId, String entryId, String unit, String staffId, String activity,
                             Instant startedAt, Instant endedAt) {
        this(caseId, entryId, unit, staffId, activity, startedAt, endedAt, null, Map.of());
    }

    @Override
    public Instant occurredAt() {
        return startedAt;
    }

    @Override
    public Map<String, Instant> businessTimes() {
        return CaseCommand.times("startedAt", startedAt, "endedAt", endedAt);
    }
}
