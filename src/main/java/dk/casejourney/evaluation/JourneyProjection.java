package dk.casejourney.evaluation;

import dk.casejourney.journey.api.CaseEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journey-figures read model. Each event is kept per case; the case's figures are then recomputed by
 * {@link JourneyCalculator} from all its events and its figure rows replaced. Within one batch a case is
 * recomputed once, just before the batch (rows and token together) commits, and the batch's rows are written
 * in one JDBC batch per table.
 */
@Component
@ProcessingGroup(JourneyProjection.PROCESSING_GROUP)
class JourneyProjection {

    static final String PROCESSING_GROUP = "journey-figures";
    private static final String BATCH = JourneyProjection.class.getName() + ".batch";

    private final JourneyStore store;
    private final JourneyCalculator calculator;
    private final Clock clock;

    JourneyProjection(JourneyStore store, JourneyCalculator calculator, Clock clock) {
        this.store = store;
        this.calculator = calculator;
        this.clock = clock;
    }

    @EventHandler
    void on(CaseEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant recordedAt) {
        RecordedEvent recorded = new RecordedEvent(event, recordedAt);
        if (CurrentUnitOfWork.isStarted()) {
            batch(CurrentUnitOfWork.get().root())
                    .computeIfAbsent(event.caseId(), caseId -> new CaseInBatch(sequenceNumber))
                    .add(recorded, sequenceNumber);
        } else {
            store.append(List.of(new JourneyStore.NewEvent(recorded, sequenceNumber)));
            recompute(event.caseId());
        }
    }

    private Map<String, CaseInBatch> batch(UnitOfWork<?> root) {
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, CaseInBatch> cases = new LinkedHashMap<>();
            root.onPrepareCommit(unitOfWork -> flush(cases));
            return cases;
        });
    }

    private void flush(Map<String, CaseInBatch> cases) {
        List<JourneyStore.NewEvent> events = new ArrayList<>();
        cases.values().forEach(c -> events.addAll(c.events));
        store.append(events);
        Instant now = clock.instant();
        List<JourneyFigures> figures = new ArrayList<>(cases.size());
        List<String> known = new ArrayList<>();
        cases.forEach((caseId, c) -> {
            // A case opened in this batch has all its events here and no figure rows yet: nothing to read back.
            boolean opensHere = c.firstSequence == 0;
            figures.add(calculator.compute(opensHere ? c.recorded() : store.events(caseId), now));
            if (!opensHere) {
                known.add(caseId);
            }
        });
        store.save(figures, known);
    }

    void recompute(String caseId) {
        store.save(calculator.compute(store.events(caseId), clock.instant()));
    }

    @ResetHandler
    void reset() {
        store.deleteAll();
    }

    /** A case's events in this batch, in order: one case's events reach one segment in sequence. */
    private static final class CaseInBatch {
        private final long firstSequence;
        private final List<JourneyStore.NewEvent> events = new ArrayList<>();

        CaseInBatch(long firstSequence) {
            this.firstSequence = firstSequence;
        }

        void add(RecordedEvent recorded, long sequenceNumber) {
            events.add(new JourneyStore.NewEvent(recorded, sequenceNumber));
        }

        List<RecordedEvent> recorded() {
            return events.stream().map(JourneyStore.NewEvent::recorded).toList();
        }
    }
}
