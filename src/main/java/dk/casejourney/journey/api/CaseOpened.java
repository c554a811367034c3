package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A case was opened for a citizen. {@code citizen} holds the personal data; analysis uses
 * {@code citizenPseudonym}, {@code citizenGroup} and {@code ageBand} only.
 * <p>
 * Revision 2 added {@code sourceRef} and {@code source}: a case imported from an event log keeps the trace's
 * name and the log's name (both null for live cases). An imported case may have no known citizen: then
 * {@code citizen} is null, {@code ageBand} is {@link AgeBand#UNKNOWN} and the pseudonym is derived from source
 * and trace, so each imported case stands for a citizen of its own.
 */
@Revision("2")
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
        Instant occurredAt,
        String sourceRef,
        String source) implements CaseEvent {

    /** A live case, not imported. */
    public CaseOpened(String caseId, String entryId, Citizen citizen, String citizenPseudonym,
                      CitizenGroup citizenGroup, AgeBand ageBand, ServiceArea serviceArea, String municipality,
                      Channel channel, String unit, Instant occurredAt) {
        this(caseId, entryId, citizen, citizenPseudonym, citizenGroup, ageBand, serviceArea, municipality, channel,
             unit, occurredAt, null, null);
    }

    public boolean imported() {
        return sourceRef != null;
    }
}
