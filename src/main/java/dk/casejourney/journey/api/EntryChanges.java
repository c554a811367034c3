package dk.casejourney.journey.api;

import java.time.Instant;

/**
 * The fields of a correctable entry that a correction changes; null means unchanged. Which fields apply
 * depends on the corrected entry's type; a field that does not apply is refused.
 */
public record EntryChanges(
        Channel channel,
        Direction direction,
        String unit,
        String staffId,
        ContactPurpose purpose,
        Instant queuedAt,
        Instant startedAt,
        Instant endedAt,
        String activity,
        InformationType informationType,
        DecisionOutcome outcome,
        Integer score,
        Instant occurredAt) {
}
