package dk.casejourney.audit;

import dk.casejourney.audit.RebuildStore.Row;
import dk.casejourney.audit.RebuildStore.Step;
import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Instances;
import dk.casejourney.common.ReadModel;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.CaseEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 *     <li>RESETTING: the tokens are reset and released, then the tables emptied ({@link ReadModel#empty()});</li>
 *     <li>REPLAYING: the runner claims every segment and replays the events itself up to the head noted before
 *     the reset, batch by batch with the tokens (every other instance keeps its processor stopped);</li>
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
    /** Batches a replay reads beyond the one it hands over (see {@link #lookahead}). */
    private static final int LOOKAHEAD_BATCHES = 10;
    /** Events per unit of work and transaction of a replay, as a processor's batch (ledger.processors.batch-size). */
    private final int batchSize;
    /**
     * Events a replay reads beyond the batch it hands over, to learn which of its cases have later events: a read
     * model may leave those to a later batch ({@link ReadModel#CASES_CONTINUED_IN_REPLAY}). Ten batches (10,000
     * events by default, a few MB) span a few days of a busy municipality's ledger.
     */
    private final int lookahead;
    private final Projections projections;
    private final ReadModelComparison comparison;
    private final EventTable eventTable;
    private final Map<String, ReadModel> readModels;
    private final Clock clock;
    private final RebuildStore store;
    private final Instances instances;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final EventStore eventStore;
    /** Groups whose processor this instance stopped for a rebuild, to start again after. */
    private final Set<String> held = new HashSet<>();
    /** Rebuilds this instance runs: id to worker. */
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService coordinator;
    private volatile boolean stopping;

    Rebuilds(Projections projections, ReadModelComparison comparison, EventTable eventTable,
             List<ReadModel> readModels, Clock clock, RebuildStore store, Instances instances, TokenStore tokenStore,
             TransactionManager transactions, EventStore eventStore,
             @Value("${ledger.processors.batch-size:1000}") int batchSize) {
        this.projections = projections;
        this.comparison = comparison;
        this.eventTable = eventTable;
        this.readModels = readModels.stream().collect(Collectors.toMap(ReadModel::processingGroup, Function.identity()));
        this.clock = clock;
        this.store = store;
        this.instances = instances;
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        this.eventStore = eventStore;
        this.batchSize = batchSize;
        this.lookahead = LOOKAHEAD_BATCHES * batchSize;
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
        boolean takenOver = false;
        try {
            Step step = row.step();
            long copied = row.copied();
            if (step == Step.STOPPING) {
                hold(group, processor, true);
                awaitFree(group);
                // Every instance has stopped and committed: below this every event is in the tables.
                copied = projections.handledThrough(processor, eventTable);
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
                // After the tokens: a takeover repeats both, and rows left by a failure here are met by the replay.
                transactions.executeInTransaction(model::empty);
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
                store.done(id, me, comparison.compare(model, id), clock.instant());
            } finally {
                release(group, processor);
            }
        } catch (RebuildStore.TakenOver e) {
            takenOver = true;
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
            // A rebuild taken over goes on elsewhere: this instance's processor stays as coordinate() has it for a
            // rebuild run by another (started, it would write rows into the tables the other is rebuilding).
            if (!stopping && !takenOver) {
                release(group, processor);
            }
        }
    }

    /**
     * The replay itself, by this instance alone while every instance holds its processor of the group: the events
     * are read once, from where the segments' committed tokens stand, and handed to the group's handlers through
     * its processor's handler invoker (the dead-letter queue included), a processor's batch at a time in one unit of
     * work and transaction that also stores every segment's token. A takeover goes on from those tokens. The
     * replay reads up to ten batches of events beyond each batch and tells the read model which cases have events
     * among them ({@link ReadModel#CASES_CONTINUED_IN_REPLAY}) and which cases the batch holds events of
     * ({@link ReadModel#CASES_IN_REPLAY_BATCH}). Without
     * the processors' coordinator, work packages, interceptors and monitors per event, a replay costs a half to
     * a third of the CPU (docs/benchmarks.md, "Rebuild"). Events recorded meanwhile beyond the head noted before
     * the reset are left to the processors, which start from the stored tokens.
     */
    private void replay(String id, String group, StreamingEventProcessor processor, long tail, long head,
                        Instant replayStarted) throws Exception {
        if (!(processor instanceof AbstractEventProcessor handlers)) {
            throw new IllegalStateException("processor " + group + " does not expose its handlers");
        }
        hold(group, processor, true);
        awaitFree(group);
        String me = instances.instanceId();
        EventHandlerInvoker invoker = handlers.eventHandlerInvoker();
        int[] segments = transactions.fetchInTransaction(() -> tokenStore.fetchSegments(group));
        try {
            // Fetching claims each segment too: no other instance starts on it while this one replays.
            List<TrackingToken> stored = new ArrayList<>();
            for (int segment : segments) {
                stored.add(WrappedToken.unwrapLowerBound(
                        transactions.fetchInTransaction(() -> tokenStore.fetchToken(group, segment))));
            }
            // The slowest segment's position; none (null) is the start of the store.
            TrackingToken from = stored.contains(null) ? null
                    : stored.stream().reduce(TrackingToken::lowerBound).orElse(null);
            long total = Math.max(0, head - tail);
            // The position of the last event read from the stream; those read but not yet handled wait in ahead.
            long read = from == null ? -1 : Positions.of(from);
            long progressedAt = System.nanoTime();
            long done = 0;
            double rate = 0;
            Deque<Ahead> ahead = new ArrayDeque<>();
            Map<String, Integer> aheadByCase = new HashMap<>();
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(from)) {
                while (read < head || !ahead.isEmpty()) {
                    if (stopping) {
                        // Left to another instance, which goes on from the tokens of the last committed batch.
                        throw new InterruptedException("this instance is stopping");
                    }
                    // Read ahead up to the head, ten batches beyond the next one at most: the cases with events
                    // beyond the next batch are then known.
                    while (read < head && ahead.size() < batchSize + lookahead
                            && stream.hasNextAvailable(ahead.isEmpty() ? (int) POLL.toMillis() : 0,
                                                       TimeUnit.MILLISECONDS)) {
                        TrackedEventMessage<?> event = stream.nextAvailable();
                        Ahead next = new Ahead(event, caseOf(event));
                        ahead.add(next);
                        if (next.caseId() != null) {
                            aheadByCase.merge(next.caseId(), 1, Integer::sum);
                        }
                        read = Positions.of(event.trackingToken());
                    }
                    if (ahead.isEmpty()) {
                        if (System.nanoTime() - progressedAt > STALL_LIMIT.toNanos()) {
                            throw new IllegalStateException("the replay found no event after position " + read
                                                                    + " for " + STALL_LIMIT.toSeconds()
                                                                    + " s, short of " + head);
                        }
                        continue;
                    }
                    // The window is full, the head is read, or the stream has nothing more just now: a batch.
                    List<TrackedEventMessage<?>> batch = new ArrayList<>(Math.min(batchSize, ahead.size()));
                    Set<String> casesInBatch = new HashSet<>();
                    while (batch.size() < batchSize && !ahead.isEmpty()) {
                        Ahead next = ahead.poll();
                        batch.add(next.event());
                        if (next.caseId() != null) {
                            casesInBatch.add(next.caseId());
                            aheadByCase.computeIfPresent(next.caseId(), (caseId, count) -> count == 1 ? null : count - 1);
                        }
                    }
                    long before = done;
                    double rateBefore = rate;
                    // A view: the batch is handled in this thread, before anything more is read ahead.
                    handle(id, group, segments, invoker, batch, Collections.unmodifiableSet(aheadByCase.keySet()),
                           Collections.unmodifiableSet(casesInBatch),
                           error -> store.progress(id, me, before, rateBefore, null, error));
                    progressedAt = System.nanoTime();
                    done = Math.max(0, Math.min(total, Positions.of(batch.get(batch.size() - 1).trackingToken()) - tail));
                    rate = rate(done, replayStarted);
                    store.progress(id, me, done, rate,
                                   rate > 0 ? Long.valueOf((long) Math.ceil((total - done) / rate)) : null, null);
                }
            }
            store.verifying(id, me, total, rate(total, replayStarted));
        } finally {
            transactions.executeInTransaction(() -> Arrays.stream(segments)
                                                          .forEach(segment -> tokenStore.releaseClaim(group, segment)));
        }
    }

    /** An event read ahead, with its case (null for any other event). */
    private record Ahead(TrackedEventMessage<?> event, String caseId) {
    }

    /**
     * The case of a case event: its aggregate's identifier, which is the case's id (CaseAggregate applies only events
     * of its own case), read without deserializing the payload, so that ten batches read ahead hold only the
     * stored bytes. An event of any other type, or whose type cannot be resolved, counts for no case.
     */
    private static String caseOf(TrackedEventMessage<?> event) {
        if (!(event instanceof DomainEventMessage<?> domainEvent)) {
            return null;
        }
        try {
            return CaseEvent.class.isAssignableFrom(event.getPayloadType()) ? domainEvent.getAggregateIdentifier() : null;
        } catch (RuntimeException unresolvable) {
            return null;
        }
    }

    /** Events per second since the start, to one decimal. */
    private double rate(long events, Instant since) {
        double seconds = Math.max(1e-3, Duration.between(since, clock.instant()).toMillis() / 1000.0);
        return Math.round(events / seconds * 10) / 10.0;
    }

    /**
     * One batch of the replay with every segment's token, in one transaction. A failure at commit is retried:
     * the journey figures fail a batch once and then park the failing case's event (JourneyProjection); the
     * database gone is waited for as long as a stalled replay is.
     */
    private void handle(String id, String group, int[] segments, EventHandlerInvoker invoker,
                        List<TrackedEventMessage<?>> batch, Set<String> casesAhead, Set<String> casesInBatch,
                        Consumer<String> failed)
            throws InterruptedException {
        TrackingToken last = batch.get(batch.size() - 1).trackingToken();
        long failingSince = 0;
        while (true) {
            BatchingUnitOfWork<TrackedEventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
            Throwable failure;
            try {
                unitOfWork.attachTransaction(transactions);
                unitOfWork.resources().put(ReadModel.CASES_CONTINUED_IN_REPLAY, casesAhead);
                unitOfWork.resources().put(ReadModel.CASES_IN_REPLAY_BATCH, casesInBatch);
                readModels.get(group).replayBatch(unitOfWork);
                unitOfWork.onPrepareCommit(u -> Arrays.stream(segments)
                                                      .forEach(segment -> tokenStore.storeToken(last, group, segment)));
                ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
                    invoker.handle(unitOfWork.getMessage(), Segment.ROOT_SEGMENT);
                    return null;
                }, RollbackConfigurationType.ANY_THROWABLE);
                failure = result.isExceptional() ? result.exceptionResult() : null;
            } catch (RuntimeException e) {
                failure = e;
            }
            if (failure == null) {
                return;
            }
            if (failingSince == 0) {
                failingSince = System.nanoTime();
            } else if (System.nanoTime() - failingSince > STALL_LIMIT.toNanos()) {
                throw new IllegalStateException("the replay has not advanced for " + STALL_LIMIT.toSeconds() + " s: "
                                                        + Positions.describe(failure), failure);
            }
            LOG.warn("Rebuild {} of {}: a batch of the replay failed and is retried: {}", id, group,
                     Positions.describe(failure));
            failed.accept(Positions.describe(failure));
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
                processor.resetTokens(ReadModel.EMPTIED_BY_REBUILD);
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
            if (!instances.isLiveNow(row.runByInstance()) && !workers.containsKey(row.id()) && !stopping
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
