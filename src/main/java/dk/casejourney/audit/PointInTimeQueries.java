package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.casejourney.audit.api.AsOfFigures;
import dk.casejourney.audit.api.CaseAsOf;
import dk.casejourney.audit.api.FindCaseAsOfQuery;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.EntryCorrected;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Answers "how did this case stand then?" by reading the case's events from the event store (through Axon,
 * so upcasters apply) and folding them: the live projection is never consulted.
 */
@Component
class PointInTimeQueries {

    static final String FIGURES_PENDING = "journey figures are not computed yet: the calculator (issue 3) "
            + "is not plugged in";
    private final EventStore eventStore;
    private final ObjectProvider<AsOfFigures> figures;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                                                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    PointInTimeQueries(EventStore eventStore, ObjectProvider<AsOfFigures> figures) {
        this.eventStore = eventStore;
        this.figures = figures;
    }

    @QueryHandler
    Optional<CaseAsOf> handle(FindCaseAsOfQuery query) {
        List<JourneyReplay.Recorded> events = eventStore.readEvents(query.caseId(), 0).asStream()
                .filter(message -> message.getPayload() instanceof CaseEvent)
                .map(message -> new JourneyReplay.Recorded(
                        message.getSequenceNumber(), message.getIdentifier(), message.getTimestamp(),
                        (String) message.getMetaData().get(LedgerMetadata.RECORDED_BY),
                        (CaseEvent) message.getPayload()))
                .toList();
        return JourneyReplay.replay(events, query.asOf(), query.basis()).map(result -> new CaseAsOf(
                query.caseId(), query.asOf(), query.basis(), result.state(),
                result.entries().stream().map(this::event).toList(),
                figures(query, result)));
    }

    private CaseAsOf.Figures figures(FindCaseAsOfQuery query, JourneyReplay.Result result) {
        AsOfFigures calculator = figures.getIfAvailable();
        if (calculator == null) {
            return CaseAsOf.Figures.notComputed(FIGURES_PENDING);
        }
        return calculator.figures(query.caseId(), result.counted().stream()
                                                          .map(counted -> new AsOfFigures.Recorded(counted.event(),
                                                                                                   counted.recordedAt()))
                                                          .toList(),
                                  query.asOf(), query.basis());
    }

    private CaseAsOf.Event event(JourneyReplay.Entry entry) {
        JourneyReplay.Recorded recorded = entry.recorded();
        CaseEvent event = recorded.event();
        return new CaseAsOf.Event(recorded.sequenceNumber(), recorded.eventId(), event.getClass().getSimpleName(),
                                  event.entryId(), event.occurredAt(), recorded.recordedAt(), recorded.recordedBy(),
                                  withoutPersonalData(event), entry.state(),
                                  entry.current() == null ? null : withoutPersonalData(entry.current()),
                                  event instanceof EntryCorrected correction ? correction.correctedEntryId() : null,
                                  entry.correctedBy());
    }

    /** The event as JSON without the citizen's personal data; the pseudonym identifies the citizen instead. */
    private JsonNode withoutPersonalData(CaseEvent event) {
        ObjectNode node = json.valueToTree(event);
        node.remove("citizen");
        return node;
    }
}
