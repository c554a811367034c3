package dk.casejourney.journey.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

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
}
