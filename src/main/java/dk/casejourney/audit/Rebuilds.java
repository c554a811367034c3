package dk.casejourney.audit;

import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.Rebuild.Phase;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.ReadModel;
import dk.casejourney.common.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rebuilds a read model from the ledger while the ledger keeps recording: the processor is stopped, its tables
 * are copied, its tokens reset (its {@code @ResetHandler} empties the tables) and it is started again to
 * replay. Once it has caught up with the events that existed at the start, it is paused briefly and the
 * rebuilt tables are compared with the copies, leaving out the cases that received events after the copy.
 * Rebuilds are kept in memory: after a restart, the copies and exclusions remain in the database.
 */
@Component
class Rebuilds {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuilds.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(30);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(120);
    private final Projections projections;
    private final ReadModelComparison comparison;
    private final EventTable eventTable;
    private final Map<String, ReadModel> readModels;
    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    Rebuilds(Projections projections, ReadModelComparison comparison, EventTable eventTable,
             List<ReadModel> readModels, Clock clock) {
        this.projections = projections;
        this.comparison = comparison;
        this.eventTable = eventTable;
        this.readModels = readModels.stream().collect(Collectors.toMap(ReadModel::processingGroup, Function.identity()));
        this.clock = clock;
    }

    @CommandHandler
    String handle(StartRebuildCommand command) {
        String group = command.processingGroup();
        StreamingEventProcessor processor = projections.streaming(group).orElseThrow(() -> new RuleViolation(
                RuleViolation.Kind.NOT_FOUND, "name", "no streaming projection " + group));
        if (!processor.supportsReset()) {
            throw RuleViolation.conflict("name", "projection " + group + " cannot be reset");
        }
        ReadModel model = readModels.get(group);
        if (model == null) {
            throw RuleViolation.conflict("name", "projection " + group + " declares no tables to verify");
        }
        synchronized (runs) {
            if (runs.values().stream().anyMatch(run -> run.group.equals(group) && !run.finished())) {
                throw RuleViolation.conflict("name", "projection " + group + " is being rebuilt already");
            }
            Run run = new Run(command.rebuildId(), group, clock.instant());
            runs.put(run.id, run);
            Thread worker = new Thread(() -> execute(run, processor, model), "rebuild-" + group);
            worker.setDaemon(true);
            worker.start();
        }
        return command.rebuildId();
    }

    @QueryHandler
    Optional<Rebuild> handle(FindRebuildQuery query) {
        return Optional.ofNullable(runs.get(query.rebuildId()))
                       .filter(run -> run.group.equals(query.processingGroup()))
                       .map(Run::view);
    }

    private void execute(Run run, StreamingEventProcessor processor, ReadModel model) {
        try {
            // Events certainly in the copy: cases with later events may legitimately differ after the rebuild.
            long copied = certainlyHandled(claimedSegments(processor));
            stop(processor);
            comparison.copy(model);
            run.tail = projections.tail();
            run.head = projections.head();
            processor.resetTokens();
            // Parked events are handed to the projection again by the replay, and parked again if they still fail.
            projections.processing().deadLetterQueue(run.group).ifPresent(queue -> queue.clear());
            processor.start();
            run.phase = Phase.REPLAYING;
            run.replayStarted = System.nanoTime();
            long failingSince = 0;
            while (!caughtUp(processor, run)) {
                // A failure the dead-letter queue cannot take (e.g. the database gone) stops the replay; the
                // rebuild gives up after a while instead of waiting for ever (the command line must end).
                boolean failing = run.lastError != null || !allSegments(processor.processingStatus().values());
                if (!failing) {
                    failingSince = 0;
                } else if (failingSince == 0) {
                    failingSince = System.nanoTime();
                } else if (System.nanoTime() - failingSince > STALL_LIMIT.toNanos()) {
                    throw new IllegalStateException("the replay has been failing or unclaimed for "
                                                            + STALL_LIMIT.toSeconds() + " s: " + run.lastError);
                }
                Thread.sleep(POLL.toMillis());
            }
            run.replayEnded = System.nanoTime();
            run.phase = Phase.VERIFYING;
            stop(processor);
            try {
                List<String> changed = eventTable.casesWithEventsAfter(copied);
                comparison.exclude(run.id, changed);
                run.verification = comparison.compare(model, run.id, changed.size());
            } finally {
                processor.start();
            }
            run.phase = Phase.DONE;
        } catch (Exception e) {
            LOG.error("Rebuild {} of {} failed: {}", run.id, run.group, Positions.describe(e));
            run.error = Positions.describe(e);
            run.phase = Phase.FAILED;
            if (!processor.isRunning()) {
                processor.start();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            run.finishedAt = clock.instant();
        }
    }

    /** Right after start-up the processor may not have claimed its segments yet: wait a little for them. */
    private static Collection<EventTrackerStatus> claimedSegments(StreamingEventProcessor processor)
            throws InterruptedException {
        long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
        Collection<EventTrackerStatus> statuses = processor.processingStatus().values();
        while (!allSegments(statuses) && processor.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            statuses = processor.processingStatus().values();
        }
        return statuses;
    }

    /** Without a status for every segment nothing is certain, and every case with events is left out. */
    private static long certainlyHandled(Collection<EventTrackerStatus> statuses) {
        if (!allSegments(statuses)) {
            return -1;
        }
        return statuses.stream().mapToLong(status -> Positions.certainlyHandled(status.getTrackingToken()))
                       .min().orElse(-1);
    }

    /** Segments split evenly: n segments have masks of n - 1, so every segment reports when there are n. */
    private static boolean allSegments(Collection<EventTrackerStatus> statuses) {
        return !statuses.isEmpty()
                && statuses.stream().allMatch(status -> status.getSegment().getMask() + 1 <= statuses.size());
    }

    private static void stop(StreamingEventProcessor processor) throws Exception {
        processor.shutdownAsync().get(2, TimeUnit.MINUTES);
    }

    private static boolean caughtUp(StreamingEventProcessor processor, Run run) {
        Map<Integer, EventTrackerStatus> statuses = processor.processingStatus();
        if (statuses.isEmpty()) {
            return false;
        }
        long slowest = Positions.slowest(statuses.values());
        run.position = slowest;
        run.lastError = statuses.values().stream().filter(EventTrackerStatus::isErrorState)
                                .map(status -> Positions.describe(status.getError())).findFirst().orElse(null);
        // A segment stays "replaying" until it sees an event beyond its reset position; with no new event that
        // may never happen, so having reached the reset position counts as done.
        return allSegments(statuses.values()) && slowest >= run.head && statuses.values().stream().allMatch(
                status -> !status.isReplaying()
                        || status.getCurrentPosition().orElse(-1) >= status.getResetPosition().orElse(Long.MAX_VALUE));
    }

    /** One rebuild; written by its worker thread, read by queries. */
    private static final class Run {
        final String id;
        final String group;
        final Instant startedAt;
        volatile Phase phase = Phase.COPYING;
        volatile long tail = -1;
        volatile long head = -1;
        volatile long position = -1;
        volatile long replayStarted;
        volatile long replayEnded;
        volatile Instant finishedAt;
        volatile Rebuild.Verification verification;
        volatile String error;
        volatile String lastError;

        Run(String id, String group, Instant startedAt) {
            this.id = id;
            this.group = group;
            this.startedAt = startedAt;
        }

        boolean finished() {
            return phase == Phase.DONE || phase == Phase.FAILED;
        }

        Rebuild view() {
            // The tail token stands just before the first event, so positions minus the tail count events.
            long total = Math.max(0, head - tail);
            long done = phase == Phase.COPYING ? 0 : Math.max(0, Math.min(total, position - tail));
            if (phase == Phase.VERIFYING || phase == Phase.DONE) {
                done = total;
            }
            double seconds = replayStarted == 0 ? 0
                    : ((replayEnded == 0 ? System.nanoTime() : replayEnded) - replayStarted) / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            Long left = finished() || phase == Phase.VERIFYING ? Long.valueOf(0)
                    : rate > 0 ? Long.valueOf((long) Math.ceil((total - done) / rate)) : null;
            return new Rebuild(id, group, phase, startedAt, finishedAt, done, total, Math.round(rate * 10) / 10.0,
                               left, verification, error != null ? error : lastError);
        }
    }
}
