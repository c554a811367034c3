package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The case was resolved; only reopening, satisfaction and corrections may follow. */
@Revision("1")
public record CaseResolved(
        String caseId,
        String entryId,
        String unit,
        Instant occurredAt) implements CaseEvent {
}
