package dk.casejourney.importexport;

import dk.casejourney.evaluation.api.CaseFiguresList;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.FindCaseFiguresQuery;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.EntryCorrected;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The journeys an export writes, one case at a time: the evaluation selects the cases (period and filters),
 * and each case's entries are read from the ledger itself, so an export holds exactly what was recorded.
 * Only one case's events are in memory at a time.
 */
@Component
class LedgerJourneys {

    private final QueryGateway queries;
    private final EventStore eventStore;

    LedgerJourneys(QueryGateway queries, EventStore eventStore) {
        this.queries = queries;
        this.eventStore = eventStore;
    }

    /**
     * A case as exported: its opening and its entries as corrected, in occurredAt order (ties in recording
     * order); voided entries and corrections themselves are left out.
     */
    record Journey(CaseOpened opened, List<CaseEvent> entries) {
    }

    void forEach(EvaluationCriteria criteria, Consumer<Journey> action) {
        CaseFiguresList cases = queries.query(new FindCaseFiguresQuery(criteria), CaseFiguresList.class).join();
        for (CaseFiguresList.CaseFigures figures : cases.cases()) {
            action.accept(journey(figures.caseId()));
        }
    }

    private Journey journey(String caseId) {
        Map<String, CaseEvent> entries = new LinkedHashMap<>();
        Map<String, Integer> position = new HashMap<>();
        CaseOpened opened = null;
        // From sequence 0: readEvents(caseId) alone starts at the case's latest snapshot, which would leave
        // out every entry before it (and the opening, so the whole case) for a case with a snapshot.
        DomainEventStream stream = eventStore.readEvents(caseId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (!(message.getPayload() instanceof CaseEvent event)) {
                continue;
            }
            if (event instanceof CaseOpened o) {
                opened = o;
            }
            if (event instanceof EntryCorrected correction) {
                if (correction.voids()) {
                    entries.remove(correction.correctedEntryId());
                } else if (entries.containsKey(correction.correctedEntryId())) {
                    entries.put(correction.correctedEntryId(), correction.replacement());
                }
            } else {
                position.put(event.entryId(), position.size());
                entries.put(event.entryId(), event);
            }
        }
        if (opened == null) {
            // The evaluation counts this case, so the ledger must hold its opening: an export without it would
            // be incomplete without saying so.
            throw new IllegalStateException("case " + caseId + " is selected but the ledger holds no opening for it");
        }
        List<CaseEvent> timeline = new ArrayList<>(entries.values());
        timeline.sort(Comparator.comparing(CaseEvent::occurredAt)
                                .thenComparing(event -> position.get(event.entryId())));
        return new Journey(opened, List.copyOf(timeline));
    }
}
