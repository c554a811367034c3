package dk.casejourney.audit;

import dk.casejourney.audit.RebuildStore.Row;
import dk.casejourney.audit.RebuildStore.Step;
import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Instances;
import dk.casejourney.common.ReadModel;
import dk.casejourney.common.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rebuilds a read model from the ledger while the ledger keeps recording, across every instance that shares the
 * database (docs/operations.md, "Several instances"). The rebuild lives in the database (projection_rebuild), so
 * any instance answers its progress. The instance that receives the command runs it, step by step:
 * <ol>
 *     <li>STOPPING: every instance stops its processor of the group (each polls the unfinished rebuilds), which
 *     releases its segments; the runner waits until the token store shows every segment free, and notes the
 *     position up to which every segment had handled every event;</li>
 *     <li>COPYING: the tables are copied;</li>
 *     <li>RESETTING: the tokens are reset (the {@code @ResetHandler} empties the tables) and released;</li>
 *     <li>REPLAYING: every instance starts its processor again and replays its share of the segments; the runner
 *     follows the slowest segment in the token store up to the head noted before the reset;</li>
 *     <li>VERIFYING: every instance stops again, the rebuilt tables are compared with the copies, leaving out the
 *     cases that received events after the noted position, and every instance starts again.</li>
 * </ol>
 * When the instance running a rebuild dies (its heartbeat in ledger_instance is older than the timeout), another
 * instance takes it over and goes on from the step it had reached; the copy taken before the reset is kept.
 */
@Component
class Rebuilds implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuilds.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration COORDINATION = Duration.ofMillis(500);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(60);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(120);
    private final Projections projections;
    private final ReadModelComparison comparison;
    private final EventTable eventTable;
    private final Map<String, ReadModel> readModels;
    private final Clock clock;
    private final RebuildStore store;
    private final Instances instances;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    /** Groups whose processor this instance stopped for a rebuild, to start again after. */
    private final Set<String> held = new HashSet<>();
    /** Rebuilds this instance runs: id to worker. */
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService coordinator;
    private volatile boolean stopping;

    Rebuilds(Projections projections, ReadModelComparison comparison, EventTable eventTable,
             List<ReadModel> readModels, Clock clock, RebuildStore store, Instances instances, TokenStore tokenStore,
             TransactionManager transactions) {
        this.projections = projections;
        this.comparison = comparison;
        this.eventTable = eventTable;
        this.readModels = readModels.stream().collect(Collectors.toMap(ReadModel::processingGroup, Function.identity()));
        this.clock = clock;
        this.store = store;
        this.instances = instances;
        this.tokenStore = tokenStore;
        this.transactions = transactions;
    }

    @CommandHandler
    String handle(StartRebuildCommand command) {
        String group = command.processingGroup();
        StreamingEventProcessor processor = projections.streaming(group).orElseThrow(() -> new RuleViolation(
                RuleViolation.Kind.NOT_FOUND, "name", "no streaming projection " + group));
        if (!processor.supportsReset()) {
            throw RuleViolation.conflict("name", "projection " + group + " cannot be reset");
        }
        if (!readModels.containsKey(group)) {
            throw RuleViolation.conflict("name", "projection " + group + " declares no tables to verify");
        }
        if (!store.create(command.rebuildId(), group, clock.instant(), instances.instanceId(), instances.nodeId())) {
            throw RuleViolation.conflict("name", "projection " + group + " is being rebuilt already");
        }
        // The worker reads the row from its own connection: start it once the row is committed, not before.
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> startWorker(command.rebuildId(), group));
        } else {
            startWorker(command.rebuildId(), group);
        }
        return command.rebuildId();
    }

    @QueryHandler
    Optional<Rebuild> handle(FindRebuildQuery query) {
        return store.find(query.rebuildId()).filter(row -> row.group().equals(query.processingGroup()))
                    .map(Row::view);
    }

    private void startWorker(String id, String group) {
        Thread worker = new Thread(() -> work(id), "rebuild-" + group);
        worker.setDaemon(true);
        workers.put(id, new Worker(worker, group));
        worker.start();
    }

    private record Worker(Thread thread, String group) {
    }

    private void work(String id) {
        String me = instances.instanceId();
        Optional<Row> found = store.find(id);
        if (found.isEmpty()) {
            LOG.error("Rebuild {} cannot run: its row is not in the database", id);
            workers.remove(id);
            return;
        }
        Row row = found.get();
        String group = row.group();
        StreamingEventProcessor processor = projections.streaming(group).orElseThrow();
        ReadModel model = readModels.get(group);
        try {
            Step step = row.step();
            long copied = row.copied();
            if (step == Step.STOPPING) {
                hold(group, processor, true);
                awaitFree(group);
                // Every instance has stopped and committed: below this every event is in the tables.
                copied = projections.storedTokens(group).stream().mapToLong(Projections.StoredToken::certainlyHandled)
                                    .min().orElse(-1);
                store.stopped(id, me, copied);
                step = Step.COPYING;
            }
            long tail = row.tail();
            long head = row.head();
            if (step == Step.COPYING) {
                hold(group, processor, true);
                comparison.copy(model);
                tail = projections.tail();
                head = projections.head();
                store.copied(id, me, tail, head);
                step = Step.RESETTING;
            }
            Instant replayStarted = row.replayStartedAt();
            if (step == Step.RESETTING) {
                hold(group, processor, true);
                reset(group, processor);
                // Parked events are handed to the projection again by the replay, and parked again if they still fail.
                projections.processing().deadLetterQueue(group).ifPresent(queue -> queue.clear());
                replayStarted = clock.instant();
                store.replaying(id, me, replayStarted);
                step = Step.REPLAYING;
            }
            if (step == Step.REPLAYING) {
                replay(id, group, processor, tail, head, replayStarted);
                step = Step.VERIFYING;
            }
            hold(group, processor, true);
            try {
                awaitFree(group);
                List<String> changed = eventTable.casesWithEventsAfter(copied);
                store.unexclude(id);
                comparison.exclude(id, changed);
                store.done(id, me, comparison.compare(model, id, changed.size()), clock.instant());
            } finally {
                release(group, processor);
            }
        } catch (RebuildStore.TakenOver e) {
            LOG.warn("Rebuild {} of {}: {}", id, group, e.getMessage());
        } catch (Throwable e) {
            if (stopping) {
                // This instance is shutting down: another instance (or this one, restarted) takes the rebuild over.
                LOG.warn("Rebuild {} of {} left to another instance: this one is stopping", id, group);
                return;
            }
            LOG.error("Rebuild {} of {} failed: {}", id, group, Positions.describe(e));
            try {
                store.failed(id, me, Positions.describe(e), clock.instant());
            } catch (RuntimeException notStored) {
                LOG.error("Rebuild {} of {}: the failure could not be stored: {}", id, group, notStored.toString());
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            workers.remove(id);
            if (!stopping) {
                release(group, processor);
            }
        }
    }

    /** Follows the slowest segment in the token store (all instances' segments) up to the head noted before. */
    private void replay(String id, String group, StreamingEventProcessor processor, long tail, long head,
                        Instant replayStarted) throws InterruptedException {
        String me = instances.instanceId();
        release(group, processor);
        synchronized (held) {
            if (!processor.isRunning()) {
                processor.start();
            }
        }
        long total = Math.max(0, head - tail);
        long last = Long.MIN_VALUE;
        long progressedAt = System.nanoTime();
        double rate = 0;
        while (true) {
            List<Projections.StoredToken> tokens = projections.storedTokens(group);
            // Segments this instance works on report fresher positions than their last committed token.
            Map<Integer, EventTrackerStatus> local = processor.processingStatus();
            long slowest = tokens.stream().mapToLong(token -> {
                EventTrackerStatus status = local.get(token.segment());
                return Math.max(token.position(),
                                status == null ? -1 : status.getCurrentPosition().orElse(-1));
            }).min().orElse(-1);
            String lastError = local.values().stream().filter(EventTrackerStatus::isErrorState)
                                    .map(status -> Positions.describe(status.getError())).findFirst().orElse(null);
            long done = Math.max(0, Math.min(total, slowest - tail));
            double seconds = Math.max(1e-3, Duration.between(replayStarted, clock.instant()).toMillis() / 1000.0);
            rate = Math.round(done / seconds * 10) / 10.0;
            if (!tokens.isEmpty() && slowest >= head) {
                store.verifying(id, me, total, rate > 0 ? rate : total / seconds);
                return;
            }
            Long left = rate > 0 ? Long.valueOf((long) Math.ceil((total - done) / rate)) : null;
            store.progress(id, me, done, rate, left, lastError);
            // A failure the dead-letter queue cannot take (e.g. the database gone), or segments nobody claims, stop
            // the replay; the rebuild gives up after a while instead of waiting for ever (the command line must end).
            if (slowest > last) {
                last = slowest;
                progressedAt = System.nanoTime();
            } else if (System.nanoTime() - progressedAt > STALL_LIMIT.toNanos()) {
                throw new IllegalStateException("the replay has not advanced for " + STALL_LIMIT.toSeconds() + " s"
                                                        + (lastError == null ? "" : ": " + lastError));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Waits until no other instance claims a segment of the group: the others stop their processors when they see
     * the rebuild, and a dead instance's claims expire after the claim timeout.
     */
    private void awaitFree(String group) throws InterruptedException {
        long deadline = System.nanoTime() + instances.timeout().plus(RELEASE_WAIT).toNanos();
        while (true) {
            int[] all = transactions.fetchInTransaction(() -> tokenStore.fetchSegments(group));
            Set<Integer> free = transactions.fetchInTransaction(() -> tokenStore.fetchAvailableSegments(group))
                                            .stream().map(segment -> segment.getSegmentId()).collect(Collectors.toSet());
            List<Integer> claimed = Arrays.stream(all).filter(segment -> !free.contains(segment)).boxed().toList();
            if (claimed.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("segments " + claimed + " of " + group
                                                        + " are still claimed by another instance");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Resets every segment's token, then releases the claims the reset took, so every instance gets its share. */
    private void reset(String group, StreamingEventProcessor processor) throws InterruptedException {
        long deadline = System.nanoTime() + instances.timeout().plus(RELEASE_WAIT).toNanos();
        while (true) {
            awaitFree(group);
            try {
                processor.resetTokens();
                break;
            } catch (UnableToClaimTokenException claimedMeanwhile) {
                // An instance that started just now claimed a segment before it saw the rebuild: it stops soon.
                if (System.nanoTime() > deadline) {
                    throw claimedMeanwhile;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        transactions.executeInTransaction(() -> Arrays.stream(tokenStore.fetchSegments(group))
                                                      .forEach(segment -> tokenStore.releaseClaim(group, segment)));
    }

    private void hold(String group, StreamingEventProcessor processor, boolean always) throws Exception {
        synchronized (held) {
            if (processor.isRunning()) {
                processor.shutdownAsync().get(2, TimeUnit.MINUTES);
                held.add(group);
            } else if (always) {
                held.add(group);
            }
        }
    }

    private void release(String group, StreamingEventProcessor processor) {
        synchronized (held) {
            if (held.remove(group) && !processor.isRunning()) {
                processor.start();
            }
        }
    }

    /**
     * Every instance, every half second: holds its processor while a rebuild's step needs every processor of the
     * group stopped, starts it again after, and takes over the rebuilds whose instance died.
     */
    void coordinate() {
        String me = instances.instanceId();
        List<Row> unfinished = store.unfinished();
        Set<String> holding = new HashSet<>();
        for (Row row : unfinished) {
            Optional<StreamingEventProcessor> processor = projections.streaming(row.group());
            if (processor.isEmpty() || !readModels.containsKey(row.group())) {
                continue;
            }
            if (row.step().holds) {
                holding.add(row.group());
            }
            if (!me.equals(row.runByInstance())) {
                try {
                    if (row.step().holds) {
                        hold(row.group(), processor.get(), false);
                    } else {
                        release(row.group(), processor.get());
                    }
                } catch (Exception e) {
                    LOG.warn("Could not stop {} for rebuild {}: {}", row.group(), row.id(), Positions.describe(e));
                }
            }
            if (!instances.isLive(row.runByInstance()) && !workers.containsKey(row.id()) && !stopping
                    && store.takeOver(row.id(), row.runByInstance(), me, instances.nodeId())) {
                LOG.warn("Rebuild {} of {}: taken over from {}, which stopped responding, at step {}", row.id(),
                         row.group(), row.runBy(), row.step());
                startWorker(row.id(), row.group());
            }
        }
        Set<String> busy = workers.values().stream().map(Worker::group).collect(Collectors.toSet());
        synchronized (held) {
            for (String group : Set.copyOf(held)) {
                if (!holding.contains(group) && !busy.contains(group)) {
                    projections.streaming(group).ifPresent(processor -> release(group, processor));
                }
            }
        }
    }

    private void coordinateQuietly() {
        try {
            coordinate();
        } catch (RuntimeException e) {
            LOG.warn("Rebuild coordination failed: {}", Positions.describe(e));
        }
    }

    /** After the event processors have started, so that holding one stops it. */
    @Override
    public void start() {
        stopping = false;
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rebuild-coordination");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::coordinateQuietly, 0, COORDINATION.toMillis(), TimeUnit.MILLISECONDS);
        coordinator = executor;
    }

    /** Before the processors stop: a rebuild this instance runs is left for another instance to take over. */
    @Override
    public void stop() {
        stopping = true;
        ScheduledExecutorService executor = coordinator;
        coordinator = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        for (Worker worker : List.copyOf(workers.values())) {
            worker.thread().interrupt();
            try {
                worker.thread().join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return coordinator != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
