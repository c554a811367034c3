package dk.casejourney.audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WaitingFor;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A case as it stood at a moment: its state, every event that counts at that moment (in occurredAt order)
 * and its journey figures. Replayed from the event store, never from a projection.
 */
public record CaseAsOf(String caseId, Instant asOf, AsOfBasis basis, State state, List<Event> events,
                       Figures figures) {

    public record State(CaseStatus status, String citizenPseudonym, CitizenGroup citizenGroup, AgeBand ageBand,
                        ServiceArea serviceArea, String municipality, Instant openedAt, Instant resolvedAt,
                        Holder holder, WaitingFor waitingFor, List<OpenRequest> openInformationRequests,
                        List<ProvidedInformation> informationProvided, long version) {
    }

    public record Holder(String unit, Instant since) {
    }

    public record OpenRequest(String requestId, InformationType informationType, Instant requestedAt,
                              LocalDate dueDate, String unit) {
    }

    public record ProvidedInformation(InformationType informationType, Instant firstProvidedAt, Channel channel,
                                      String unit, Instant lastProvidedAt, int timesProvided) {
    }

    /**
     * One event. {@code payload} is the event without the citizen's personal data (the pseudonym stays);
     * {@code state} and {@code current} say how later corrections known at the moment changed it.
     */
    public record Event(long sequenceNumber, String eventId, String type, String entryId, Instant occurredAt,
                        Instant recordedAt, String recordedBy, JsonNode payload, EntryState state, JsonNode current,
                        String corrects, List<String> correctedBy) {
    }

    public enum EntryState {
        RECORDED, CORRECTED, VOID
    }

    /**
     * Journey figures at the moment; {@code computed} is false, with the reason, until a calculator is
     * plugged in.
     */
    public record Figures(boolean computed, JsonNode values, String reason) {

        public static Figures notComputed(String reason) {
            return new Figures(false, null, reason);
        }
    }
}
