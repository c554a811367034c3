package dk.casejourney.common;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Axon's embedded event store, with the processors' reader woken at most once per {@code delay} rather than after
 * every commit. The reader serves every processor from one read of the event table, but each wake-up costs a read
 * with events, an empty read that ends it and a look past any gap (three statements, two transactions): woken per
 * commit, a busy ledger paid them for nearly every event (1.7 such statements per live write in the benchmark's
 * live steps on PostgreSQL; 0.8 with a 10 ms delay, docs/benchmarks.md). A commit on a quiet ledger (no wake-up
 * within the delay) wakes the reader at once, so its read models follow it without waiting; on a busy one the next
 * wake-up comes one delay after the last, and takes every commit made meanwhile. Every commit is still followed by
 * a wake-up that starts after it, so an event waits at most the delay plus one read. Commits of other instances
 * are found by the reader's own polling, as before.
 * <p>
 * Its streams also tell a pooled streaming processor when events arrive ({@code setOnAvailableCallback}), which
 * Axon's embedded store does not: without that, a processor's coordinator that has found nothing looks again only
 * 500 ms later, so a read model showed a write to a caseworker 0.5 s after it was answered (measured: 455 ms on
 * average after an HTTP write, nearly all of it that wait). A watcher, one more reader of the store's shared
 * stream, tells every such processor when the store's reader has events after the head: at once on a quiet ledger,
 * at most once per busy-batch delay on a busy one (see {@link #announcement}), and at least every 500 ms while
 * nothing arrives (see {@link #LOOK_NANOS}).
 * <p>
 * The reader also reads at most once per {@code delay} while it finds events ({@link SharedReader}). Axon's reader
 * reads again at once after every read that found events, so under commits that never pause it read back to back
 * whatever the wake-ups: on PostgreSQL about 150 reads a second in the benchmark's live steps, each a batch read,
 * an empty read and a look past any gap. And a read on a JDBC engine ends at the batch that reached the last stored
 * event ({@link AvailableEvents}) rather than with an empty batch and the look: the reader reads again anyway.
 */
final class CoalescingEventStore extends EmbeddedEventStore {

    private static final Logger LOG = LoggerFactory.getLogger(CoalescingEventStore.class);
    /**
     * The processors are told at least this often, events or not. A coordinator told of events by its stream stops
     * looking by itself while idle: it looks again only after the token-claim interval (2 s), and a look is also when
     * it gives up a segment whose worker failed on an event, so a read model that cannot process looked RUNNING for
     * up to 2 s (AuditLedgerTest). Told every 500 ms, it looks as often as Axon's coordinator does on a stream
     * without the callback.
     */
    static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MIN_WAIT_MILLIS = 10;

    private final long delayNanos;
    private final ScheduledExecutorService waker;
    /** Wakes the store's reader (Axon's afterCommit only does that; it does not use the events). */
    private final SpacedRun wakeUp;
    /**
     * Tells the processors that events arrived. Told at every arrival, the processors of a busy ledger took each
     * event in a batch of its own, and a batch costs a transaction and a token update per processor and segment:
     * live writes on H2 with 8 clients went from 869 to 352 events/s (docs/benchmarks.md).
     */
    private final SpacedRun announcement;
    /** When the callbacks last ran at all, for arrivals or the look (see {@link #LOOK_NANOS}); watcher and waker. */
    private volatile long lastTold;
    /** The callbacks of the open streams that asked to be told when events arrive. */
    private final Set<Runnable> onAvailable = ConcurrentHashMap.newKeySet();
    /** Whether the watcher runs; guarded by this store's monitor (startWatcher). */
    private boolean watching;
    private volatile boolean shutDown;
    /** The engine as the reader sees it; null only while Axon's constructor runs. */
    private final SharedReader sharedReader;

    CoalescingEventStore(Builder builder, Duration delay, Duration busyBatchDelay) {
        super(builder);
        this.delayNanos = delay.toNanos();
        this.sharedReader = new SharedReader(super.storageEngine(), delayNanos);
        this.lastTold = System.nanoTime();
        this.waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-store-waker");
            thread.setDaemon(true);
            return thread;
        });
        // A commit's wake-up is never dropped: while shutting down it runs at once. An announcement is: the
        // processors are stopping.
        this.wakeUp = new SpacedRun(delayNanos, () -> super.afterCommit(List.of()), waker, true);
        this.announcement = new SpacedRun(busyBatchDelay.toNanos(), this::tellAll, waker, false);
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (delayNanos <= 0) {
            super.afterCommit(events);
            return;
        }
        wakeUp.request();
    }

    /**
     * The engine for Axon's reader: {@link EmbeddedEventStore} reads the event table only through this method (the
     * shared reader with {@code mayBlock}, a stream behind the shared one without); appends and loads use the
     * engine itself.
     */
    @Override
    protected EventStorageEngine storageEngine() {
        return sharedReader != null ? sharedReader : super.storageEngine();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new AnnouncedStream(super.openStream(trackingToken));
    }

    /**
     * Starts the watcher with the first callback, its stream opened before the callback is registered, so that
     * every event committed after a registration is seen. If it cannot start, it says so and the next registration
     * tries again; meanwhile the processors look for new events every 2 s (token-claim-interval).
     */
    private synchronized void startWatcher() {
        if (watching || shutDown) {
            return;
        }
        TrackingEventStream head;
        try {
            head = super.openStream(createHeadToken());
        } catch (RuntimeException e) {
            LOG.error("The event store's watcher cannot start; read models follow new events within 2 s instead of "
                              + "at once: {}", e.toString());
            return;
        }
        Thread watcher = new Thread(() -> watch(head), "event-store-watcher");
        watcher.setDaemon(true);
        watcher.start();
        watching = true;
    }

    /**
     * Reads the store's shared stream from the head on, consuming the events (their payloads are not deserialized)
     * only to learn that there are new ones; then runs every callback. A failure (the database gone) is logged and
     * the stream opened again from the head a second later; events meanwhile are found by the processors' own
     * look every 2 s.
     */
    private void watch(TrackingEventStream first) {
        TrackingEventStream head = first;
        while (!shutDown) {
            try {
                if (head == null) {
                    Thread.sleep(1_000);
                    head = CoalescingEventStore.super.openStream(createHeadToken());
                }
                long sinceTold = System.nanoTime() - lastTold;
                long waitMillis = Math.max(MIN_WAIT_MILLIS, TimeUnit.NANOSECONDS.toMillis(LOOK_NANOS - sinceTold));
                if (head.hasNextAvailable((int) waitMillis, TimeUnit.MILLISECONDS)) {
                    while (head.hasNextAvailable()) {
                        head.nextAvailable();
                    }
                    announcement.request();
                } else if (System.nanoTime() - lastTold >= LOOK_NANOS) {
                    // No events, yet the processors are told: see LOOK_NANOS. Not an arrival, so the next arrival
                    // is still announced at once on a quiet ledger.
                    tellAll();
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                if (shutDown) {
                    break;
                }
                LOG.error("The event store's watcher failed and starts again in 1 s; until then read models follow "
                                  + "new events within 2 s instead of at once: {}", e.toString());
                if (head != null) {
                    head.close();
                }
                head = null;
            }
        }
        if (head != null) {
            head.close();
        }
    }

    private void tellAll() {
        lastTold = System.nanoTime();
        for (Runnable callback : onAvailable) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                // One processor that cannot be told looks for events itself (every 2 s); the others are still told.
                LOG.warn("A processor could not be told of new events: {}", e.toString());
            }
        }
    }

    @Override
    public void shutDown() {
        shutDown = true;
        waker.shutdownNow();
        super.shutDown();
    }

    /**
     * An action run at once when it last ran more than {@code spacing} ago, else one spacing after that, once for
     * every request meanwhile; every request is followed by a run that starts after it.
     */
    private static final class SpacedRun {

        private final long spacingNanos;
        private final Runnable action;
        private final ScheduledExecutorService scheduler;
        private final boolean runWhenRejected;
        private final AtomicBoolean pending = new AtomicBoolean();
        /** When the action last began ({@link System#nanoTime()}); one run at a time sets it (pending). */
        private volatile long lastRun;

        SpacedRun(long spacingNanos, Runnable action, ScheduledExecutorService scheduler, boolean runWhenRejected) {
            this.spacingNanos = spacingNanos;
            this.action = action;
            this.scheduler = scheduler;
            this.runWhenRejected = runWhenRejected;
            this.lastRun = System.nanoTime() - spacingNanos;
        }

        void request() {
            if (!pending.compareAndSet(false, true)) {
                // A run is due that has not begun: it starts after this request, and serves it.
                return;
            }
            long wait = lastRun + spacingNanos - System.nanoTime();
            if (wait <= 0) {
                run();
                return;
            }
            try {
                scheduler.schedule(this::run, wait, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                if (runWhenRejected) {
                    run();
                } else {
                    pending.set(false);
                }
            }
        }

        private void run() {
            // Noted first, so that the next run is spaced from this one; cleared before the action, so that a
            // request after this point sees no run due and makes one of its own.
            lastRun = System.nanoTime();
            pending.set(false);
            action.run();
        }
    }

    /**
     * The engine as the store's shared reader sees it: a read that follows one that found events waits until one
     * {@code spacing} after the start of that one, and a JDBC engine answers the events there are now
     * ({@link AvailableEvents}). Every other call goes to the engine as it is. Only the reader's thread reads with
     * {@code mayBlock}, one read at a time, so the fields need no guard.
     */
    static final class SharedReader implements EventStorageEngine {

        private final EventStorageEngine engine;
        private final long spacingNanos;
        private long lastReadStarted;
        private boolean lastReadFound;

        SharedReader(EventStorageEngine engine, long spacingNanos) {
            this.engine = engine;
            this.spacingNanos = spacingNanos;
        }

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            if (!mayBlock) {
                return engine.readEvents(trackingToken, false);
            }
            long wait = lastReadStarted + spacingNanos - System.nanoTime();
            if (lastReadFound && wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException stopping) {
                    // The store is shutting down: read at once, and let the reader see the interrupt when it waits.
                    Thread.currentThread().interrupt();
                }
            }
            lastReadStarted = System.nanoTime();
            lastReadFound = false;
            Stream<? extends TrackedEventMessage<?>> read = engine instanceof AvailableEvents available
                    ? available.readAvailable(trackingToken) : engine.readEvents(trackingToken, true);
            return read.peek(event -> lastReadFound = true);
        }

        @Override
        public void appendEvents(List<? extends EventMessage<?>> events) {
            engine.appendEvents(events);
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            engine.storeSnapshot(snapshot);
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            return engine.readEvents(aggregateIdentifier, firstSequenceNumber);
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return engine.readSnapshot(aggregateIdentifier);
        }

        @Override
        public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
            return engine.lastSequenceNumberFor(aggregateIdentifier);
        }

        @Override
        public TrackingToken createTailToken() {
            return engine.createTailToken();
        }

        @Override
        public TrackingToken createHeadToken() {
            return engine.createHeadToken();
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return engine.createTokenAt(dateTime);
        }
    }

    /** A stream of the store that supports the availability callback (see the class comment). */
    private final class AnnouncedStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private volatile Runnable callback;

        AnnouncedStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            Runnable previous = this.callback;
            if (previous != null) {
                onAvailable.remove(previous);
            }
            startWatcher();
            this.callback = callback;
            onAvailable.add(callback);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean hasNextAvailable() {
            return delegate.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            Runnable registered = callback;
            if (registered != null) {
                onAvailable.remove(registered);
            }
            delegate.close();
        }
    }
}
