package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A case was opened for a citizen. {@code citizen} holds the personal data; analysis uses
 * {@code citizenPseudonym}, {@code citizenGroup} and {@code ageBand} only.
 */
@Revision("1")
public record CaseOpened(
        String caseId,
        String entryId,
        Citizen citizen,
        String citizenPseudonym,
        CitizenGroup citizenGroup,
        AgeBand ageBand,
        ServiceArea serviceArea,
        String municipality,
        Channel channel,
        String unit,
        Instant occurredAt) implements CaseEvent {
}
