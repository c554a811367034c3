package dk.casejourney.journey.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Where a case is now, what it waits for and what the citizen has already told the municipality.
 * {@code cpr} is null and {@code citizenErased} true once the citizen's personal data was erased.
 */
public record CaseView(
        String caseId,
        CaseStatus status,
        String cpr,
        boolean citizenErased,
        String citizenPseudonym,
        CitizenGroup citizenGroup,
        AgeBand ageBand,
        ServiceArea serviceArea,
        String municipality,
        Instant openedAt,
        Instant resolvedAt,
        Holder holder,
        WaitingFor waitingFor,
        List<OpenRequest> openInformationRequests,
        List<ProvidedInformation> informationProvided,
        Instant lastActivityAt,
        long version) {

    /** Spring logs response bodies at debug level: the CPR number must not be in them. */
    @Override
    public String toString() {
        return "CaseView[caseId=" + caseId + ", status=" + status + ", cpr=masked, citizenErased=" + citizenErased
                + ", version=" + version + "]";
    }

    /** The unit that holds the case and since when (occurredAt of the opening or the last handover). */
    public record Holder(String unit, Instant since) {
    }

    public record OpenRequest(String requestId, InformationType informationType, Instant requestedAt,
                              LocalDate dueDate, String unit) {
    }

    /** One information type the citizen has provided: first when and where, and how often in all. */
    public record ProvidedInformation(InformationType informationType, Instant firstProvidedAt, Channel channel,
                                      String unit, Instant lastProvidedAt, int timesProvided) {
    }
}
