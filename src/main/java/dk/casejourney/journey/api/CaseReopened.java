package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A resolved case was opened again. */
@Revision("1")
public record CaseReopened(
        String caseId,
        String entryId,
        ReopenReason reason,
        String unit,
        Instant occurredAt) implements CaseEvent {
}
