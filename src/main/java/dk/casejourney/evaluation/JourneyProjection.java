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
 * The journey-figures read model. Each event is kept with its case's others (one row per case); the case's figures
 * are then recomputed by {@link JourneyCalculator} from all its events and its figure rows replaced. Within one
 * batch a case is recomputed once, just before the batch (rows and token together) commits, and the batch's rows are
 * written in one JDBC batch per table. In a rebuild's replay the figure rows of a case whose later events the replay has
 * already read are written in the batch of its last one only ({@link ReadModel#CASES_CONTINUED_IN_REPLAY}): a
 * ledger written live spreads a case over many batches, each of which rewrote its rows. Such a case is still
 * computed in each batch (from events kept in memory), so a case that cannot be computed fails the batch its
 * failing event is in, and the dead-letter queue parks that event, as without a replay.
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
    private final Map<String, JourneyStore.Kept> recent = RecentlyUsed.map(RECENT_CASES);
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
        return List.of(new Table("journey_case_events", List.of("case_id"), "case_id"),
                       new Table("journey_contact", List.of("case_id", "position"), "case_id"),
                       new Table("journey_handover", List.of("case_id", "position"), "case_id"),
                       new Table("journey_satisfaction", List.of("case_id", "position"), "case_id"),
                       new Table("journey_repeated_information", List.of("case_id", "information_type"), "case_id"),
                       new Table("journey_path", List.of("case_id", "level"), "case_id"));
    }

    @EventHandler
    void on(CaseEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant recordedAt) {
        RecordedEvent recorded = new RecordedEvent(event, recordedAt);
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            Map<String, CaseInBatch> batch = batch(root);
            if (suspects.contains(event.caseId()) || root.resources().containsKey(DeadLetter.class.getName())) {
                computeNow(event.caseId(), batch.get(event.caseId()), new JourneyStore.KeptEvent(recorded,
                                                                                                 sequenceNumber));
            }
            batch.computeIfAbsent(event.caseId(), caseId -> new CaseInBatch(sequenceNumber))
                 .add(recorded, sequenceNumber);
        } else {
            JourneyStore.Kept kept = store.kept(event.caseId())
                                          .then(List.of(new JourneyStore.KeptEvent(recorded, sequenceNumber)));
            store.keep(List.of(kept));
            store.save(calculator.compute(kept.recorded(), clock.instant()));
        }
    }

    /**
     * A case whose figures failed at a batch's commit, or a parked event being retried: its figures are computed
     * here, in the event's handler, so that a failure is this event's and Axon's dead-letter queue parks it (and
     * the case's later events) while every other case goes on. Only such cases pay for this.
     */
    private void computeNow(String caseId, CaseInBatch inBatch, JourneyStore.KeptEvent event) {
        JourneyStore.Kept kept = store.kept(caseId);
        if (inBatch != null) {
            kept = kept.then(inBatch.events);
        }
        calculator.compute(kept.then(List.of(event)).recorded(), clock.instant());
        suspects.remove(caseId);
    }

    /** Every batch of a replay writes the cases left to it whose last events never reached this read model. */
    @Override
    public void replayBatch(UnitOfWork<?> unitOfWork) {
        batch(unitOfWork.root());
    }

    private Map<String, CaseInBatch> batch(UnitOfWork<?> root) {
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, CaseInBatch> cases = new LinkedHashMap<>();
            Map<String, JourneyStore.Kept> written = new HashMap<>();
            // Both present in a rebuild's replay only.
            Set<String> ahead = root.getResource(ReadModel.CASES_CONTINUED_IN_REPLAY);
            Set<String> handedOver = root.getResource(ReadModel.CASES_IN_REPLAY_BATCH);
            root.onPrepareCommit(unitOfWork -> flush(cases, written, ahead, handedOver));
            root.afterCommit(unitOfWork -> recent.putAll(written));
            return cases;
        });
    }

    /**
     * @param ahead cases a rebuild's replay has read later events of (ReadModel.CASES_CONTINUED_IN_REPLAY): their
     *              events are kept now, their figure rows written in the batch of their last event; null outside
     *              a replay
     * @param handedOver cases the replay's batch holds events of, whether or not they reached this read model
     *                   (ReadModel.CASES_IN_REPLAY_BATCH); null outside a replay
     */
    private void flush(Map<String, CaseInBatch> cases, Map<String, JourneyStore.Kept> written, Set<String> ahead,
                       Set<String> handedOver) {
        List<JourneyStore.Kept> kept = new ArrayList<>(cases.size());
        Instant now = clock.instant();
        List<JourneyFigures> figures = new ArrayList<>(cases.size());
        List<String> known = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        cases.forEach((caseId, c) -> {
            // A case opened in this batch has all its events here and no figure rows yet: nothing to read back.
            boolean opensHere = c.firstSequence == 0;
            // A case the replay has later events of is computed (so that a failure is met in this batch, as always)
            // but its rows are written in the batch of its last event only.
            boolean later = ahead != null && ahead.contains(caseId);
            try {
                JourneyStore.Kept all = (opensHere ? JourneyStore.Kept.none(caseId) : keptBefore(caseId, c))
                        .then(c.events);
                kept.add(all);
                written.put(caseId, all.written());
                JourneyFigures computed = calculator.compute(all.recorded(), now);
                if (!later) {
                    figures.add(computed);
                }
            } catch (RuntimeException e) {
                failed.add(caseId);
                LOG.warn("journey figures of case {} cannot be computed ({}); the batch is retried and the case's "
                                 + "failing event dead-lettered", caseId, e.toString());
            }
            if (!opensHere && !later) {
                known.add(caseId);
            }
        });
        // A case whose last events the replay has handed over without this read model getting them (parked in the
        // dead-letter queue behind an earlier one of the case, or unreadable) may have been left to this batch by
        // an earlier one, of this instance or of one that has died since: its rows are those of the events it did
        // get, as outside a replay. Rare, so rows already written are simply written again.
        for (String caseId : handedOver == null || ahead == null ? Set.<String>of() : handedOver) {
            if (!cases.containsKey(caseId) && !ahead.contains(caseId)) {
                List<RecordedEvent> got = store.events(caseId);
                if (got.isEmpty()) {
                    continue;
                }
                try {
                    figures.add(calculator.compute(got, now));
                    known.add(caseId);
                } catch (RuntimeException e) {
                    LOG.warn("journey figures of case {}, whose later events were not handled, cannot be computed "
                                     + "({}); its rows stay as they were", caseId, e.toString());
                }
            }
        }
        if (!failed.isEmpty()) {
            // Computed at commit, a failure belongs to no one event: fail this batch once, and on its retry the
            // failing cases are computed in their events' handlers (computeNow), where the dead-letter queue works.
            suspects.addAll(failed);
            throw new IllegalStateException("journey figures of " + failed.size() + " case(s) cannot be computed: "
                                                    + failed);
        }
        store.keep(kept);
        store.save(figures, known);
    }

    /**
     * The events an earlier batch kept of a case: those kept in memory by the batch that committed them, when they
     * end just before this batch's first (events are permanent, so a case's events up to a sequence number never
     * change), else read back from journey_case_events.
     */
    private JourneyStore.Kept keptBefore(String caseId, CaseInBatch inBatch) {
        JourneyStore.Kept earlier = recent.get(caseId);
        if (earlier != null && earlier.lastSequence() == inBatch.firstSequence - 1) {
            return earlier;
        }
        return store.kept(caseId);
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

    /** A case's events in this batch, in order: one case's events reach one segment in sequence. */
    private static final class CaseInBatch {
        private final long firstSequence;
        private final List<JourneyStore.KeptEvent> events = new ArrayList<>();

        CaseInBatch(long firstSequence) {
            this.firstSequence = firstSequence;
        }

        void add(RecordedEvent recorded, long sequenceNumber) {
            events.add(new JourneyStore.KeptEvent(recorded, sequenceNumber));
        }

    }
}
