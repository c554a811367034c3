package dk.casejourney.evaluation;

import dk.casejourney.common.ReadModel;
import dk.casejourney.common.RecentlyUsed;
import dk.casejourney.journey.api.CaseEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journey-figures read model. Each event is kept per case; the case's figures are then recomputed by
 * {@link JourneyCalculator} from all its events and its figure rows replaced. Within one batch a case is
 * recomputed once, just before the batch (rows and token together) commits, and the batch's rows are written
 * in one JDBC batch per table.
 */
@Component
@ProcessingGroup(JourneyProjection.PROCESSING_GROUP)
class JourneyProjection implements ReadModel {

    static final String PROCESSING_GROUP = "journey-figures";
    private static final String BATCH = JourneyProjection.class.getName() + ".batch";

    /** About the cases of a few batches of both segments: a case's events seldom span more. */
    private static final int RECENT_CASES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(JourneyProjection.class);
    /** Cases whose figures failed at a batch's commit (see computeNow); in memory, relearnt after a restart. */
    private final Set<String> suspects = ConcurrentHashMap.newKeySet();
    /**
     * The events of the cases the latest batches wrote (bounded, least recently used out), so that a case whose
     * events straddle two batches, as most do in a replay or catch-up, is not read back and decoded again.
     */
    private final Map<String, KnownEvents> recent = RecentlyUsed.map(RECENT_CASES);
    private final JourneyStore store;
    private final JourneyCalculator calculator;
    private final Clock clock;

    JourneyProjection(JourneyStore store, JourneyCalculator calculator, Clock clock) {
        this.store = store;
        this.calculator = calculator;
        this.clock = clock;
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    /**
     * What a rebuild verifies: the events kept per case and the figure rows that follow from them alone.
     * journey_case is rebuilt too but not compared: an open case's durations run to the moment they were
     * computed, so they legitimately differ from the rows they replace.
     */
    @Override
    public List<Table> tables() {
        return List.of(new Table("journey_event", List.of("case_id", "sequence_number"), "case_id"),
                       new Table("journey_contact", List.of("case_id", "position"), "case_id"),
                       new Table("journey_handover", List.of("case_id", "position"), "case_id"),
                       new Table("journey_satisfaction", List.of("case_id", "position"), "case_id"),
                       new Table("journey_repeated_information", List.of("case_id", "information_type"), "case_id"),
                       new Table("journey_flow", List.of("case_id", "level", "position"), "case_id"));
    }

    @EventHandler
    void on(CaseEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant recordedAt) {
        RecordedEvent recorded = new RecordedEvent(event, recordedAt);
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            Map<String, CaseInBatch> batch = batch(root);
            if (suspects.contains(event.caseId()) || root.resources().containsKey(DeadLetter.class.getName())) {
                computeNow(event.caseId(), batch.get(event.caseId()), recorded);
            }
            batch.computeIfAbsent(event.caseId(), caseId -> new CaseInBatch(sequenceNumber))
                 .add(recorded, sequenceNumber);
        } else {
            store.append(List.of(new JourneyStore.NewEvent(recorded, sequenceNumber)));
            recompute(event.caseId());
        }
    }

    /**
     * A case whose figures failed at a batch's commit, or a parked event being retried: its figures are computed
     * here, in the event's handler, so that a failure is this event's and Axon's dead-letter queue parks it (and
     * the case's later events) while every other case goes on. Only such cases pay for this.
     */
    private void computeNow(String caseId, CaseInBatch inBatch, RecordedEvent recorded) {
        List<RecordedEvent> events = new ArrayList<>(store.events(caseId));
        if (inBatch != null) {
            events.addAll(inBatch.recorded());
        }
        events.add(recorded);
        calculator.compute(events, clock.instant());
        suspects.remove(caseId);
    }

    private Map<String, CaseInBatch> batch(UnitOfWork<?> root) {
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, CaseInBatch> cases = new LinkedHashMap<>();
            Map<String, KnownEvents> written = new HashMap<>();
            root.onPrepareCommit(unitOfWork -> flush(cases, written));
            root.afterCommit(unitOfWork -> recent.putAll(written));
            return cases;
        });
    }

    private void flush(Map<String, CaseInBatch> cases, Map<String, KnownEvents> written) {
        List<JourneyStore.NewEvent> events = new ArrayList<>();
        cases.values().forEach(c -> events.addAll(c.events));
        store.append(events);
        Instant now = clock.instant();
        List<JourneyFigures> figures = new ArrayList<>(cases.size());
        List<String> known = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        cases.forEach((caseId, c) -> {
            // A case opened in this batch has all its events here and no figure rows yet: nothing to read back.
            boolean opensHere = c.firstSequence == 0;
            try {
                List<RecordedEvent> all = opensHere ? c.recorded() : eventsBefore(caseId, c);
                written.put(caseId, new KnownEvents(all, c.lastSequence()));
                figures.add(calculator.compute(all, now));
            } catch (RuntimeException e) {
                failed.add(caseId);
                LOG.warn("journey figures of case {} cannot be computed ({}); the batch is retried and the case's "
                                 + "failing event dead-lettered", caseId, e.toString());
            }
            if (!opensHere) {
                known.add(caseId);
            }
        });
        if (!failed.isEmpty()) {
            // Computed at commit, a failure belongs to no one event: fail this batch once, and on its retry the
            // failing cases are computed in their events' handlers (computeNow), where the dead-letter queue works.
            suspects.addAll(failed);
            throw new IllegalStateException("journey figures of " + failed.size() + " case(s) cannot be computed: "
                                                    + failed);
        }
        store.save(figures, known);
    }

    /**
     * All events of a case that has events in earlier batches: those kept in memory by the batch that committed
     * them, when they end just before this batch's first (events are permanent, so a case's events up to a
     * sequence number never change), else read back from journey_event (which holds this batch's too by now).
     */
    private List<RecordedEvent> eventsBefore(String caseId, CaseInBatch inBatch) {
        KnownEvents earlier = recent.get(caseId);
        if (earlier != null && earlier.lastSequence == inBatch.firstSequence - 1) {
            List<RecordedEvent> all = new ArrayList<>(earlier.events.size() + inBatch.events.size());
            all.addAll(earlier.events);
            all.addAll(inBatch.recorded());
            return all;
        }
        return store.events(caseId);
    }

    void recompute(String caseId) {
        store.save(calculator.compute(store.events(caseId), clock.instant()));
    }

    @ResetHandler
    void reset(ResetContext<?> reset) {
        if (ReadModel.emptiedByRebuild(reset)) {
            recent.clear();
        } else {
            reset();
        }
    }

    void reset() {
        recent.clear();
        store.deleteAll();
    }

    @Override
    public void empty() {
        recent.clear();
        store.truncateAll();
    }

    /** A case's events 0..lastSequence as committed to journey_event. */
    private record KnownEvents(List<RecordedEvent> events, long lastSequence) {
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

        long lastSequence() {
            return events.get(events.size() - 1).sequenceNumber();
        }

        List<RecordedEvent> recorded() {
            return events.stream().map(JourneyStore.NewEvent::recorded).toList();
        }
    }
}
