package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

/**
 * Correct an earlier entry: either {@code changes} (only the fields that were wrong) or {@code voidEntry}
 * when the entry was recorded in error.
 */
public record CorrectEntryCommand(
        @TargetAggregateIdentifier String caseId,
        String entryId,
        String correctedEntryId,
        String reason,
        EntryChanges changes,
        boolean voidEntry,
        Instant occurredAt) implements CaseCommand {

    /** The correction's own time and every time it changes: a correction cannot move a time out of bounds. */
    @Override
    public Map<String, Instant> businessTimes() {
        if (changes == null) {
            return CaseCommand.times("occurredAt", occurredAt);
        }
        return CaseCommand.times("occurredAt", occurredAt, "changes.queuedAt", changes.queuedAt(),
                                 "changes.startedAt", changes.startedAt(), "changes.endedAt", changes.endedAt(),
                                 "changes.occurredAt", changes.occurredAt());
    }
}
