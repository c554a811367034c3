package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.time.LocalDate;

/** The municipality asked the citizen for a piece of information; the case now waits for the citizen. */
@Revision("1")
public record InformationRequested(
        String caseId,
        String entryId,
        InformationType informationType,
        LocalDate dueDate,
        String unit,
        Instant occurredAt) implements CaseEvent {
}
