package dk.casejourney.common;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CoalescingEventStoreTest {

    /**
     * Counts the reads of the event table (the store's reader and any private stream alike); each read takes
     * {@code readMillis}, as a database's round trips do.
     */
    private static final class CountingEngine extends InMemoryEventStorageEngine {
        final AtomicInteger reads = new AtomicInteger();
        volatile long readMillis;

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            reads.incrementAndGet();
            if (readMillis > 0) {
                try {
                    Thread.sleep(readMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.readEvents(trackingToken, mayBlock);
        }
    }

    private final CountingEngine engine = new CountingEngine();
    private CoalescingEventStore store;

    @AfterEach
    void shutDown() {
        if (store != null) {
            store.shutDown();
        }
    }

    /** Without a commit nothing wakes the reader for an hour: only the store's wake-up can deliver an event. */
    private CoalescingEventStore store(Duration delay) {
        return store(delay, Duration.ofMillis(100));
    }

    private CoalescingEventStore store(Duration delay, Duration busyBatchDelay) {
        store = new CoalescingEventStore(EmbeddedEventStore.builder().storageEngine(engine)
                                                           .fetchDelay(1).timeUnit(TimeUnit.HOURS), delay,
                                         busyBatchDelay);
        return store;
    }

    private void commit(int n) {
        DefaultUnitOfWork.startAndGet(null).execute(() -> store.publish(GenericEventMessage.asEventMessage("e" + n)));
    }

    @Test
    void givenAQuietLedger_whenOneEventIsCommitted_thenTheReaderIsWokenAtOnce() throws Exception {
        Duration delay = Duration.ofSeconds(3);
        store(delay);
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            // The reader has read everything and waits: only a commit's wake-up can deliver an event now.
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
            long started = System.nanoTime();
            commit(0);
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("e0");
            assertThat(System.nanoTime() - started).as("no wake-up within the delay: the first one is not held back")
                                                   .isLessThan(delay.toNanos() / 2);
        }
    }

    @Test
    void givenAReaderWokenMomentsAgo_whenTheNextEventIsCommitted_thenItIsDeliveredOneDelayAfterThatWakeUp()
            throws Exception {
        Duration delay = Duration.ofMillis(400);
        store(delay);
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            // The reader has read everything and waits: only a commit's wake-up can deliver an event now.
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
            long started = System.nanoTime();
            commit(0);
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("the first commit woke the reader").isTrue();
            stream.nextAvailable();
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).as("the reader waits again").isFalse();
            commit(1);
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("the second commit woke the reader").isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("e1");
            // The first wake-up came after the first commit began; the next one no sooner than one delay later.
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(delay.toNanos());
        }
    }

    @Test
    void givenManyCommitsWithinTheDelay_whenTheyAreRead_thenEveryEventArrivesFromAFewReads() throws Exception {
        Duration delay = Duration.ofMillis(500);
        store(delay);
        commit(0);
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            stream.nextAvailable();
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
            int readsBefore = engine.reads.get();
            long started = System.nanoTime();
            for (int n = 1; n <= 200; n++) {
                commit(n);
            }
            long committingMillis = (System.nanoTime() - started) / 1_000_000;
            for (int n = 1; n <= 200; n++) {
                assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d arrives", n).isTrue();
                assertThat(stream.nextAvailable().getPayload()).isEqualTo("e" + n);
            }
            // One wake-up per delay while commits go on, and one read per wake-up (a read continues until it
            // finds nothing new); a wake-up per commit would read up to 200 times.
            long windows = committingMillis / delay.toMillis() + 1;
            assertThat(engine.reads.get() - readsBefore).isLessThanOrEqualTo((int) (2 * windows));
        }
    }

    @Test
    void givenCommitsThatNeverPause_whenTheReaderFollowsThem_thenItReadsAtMostOncePerDelayAndEveryEventArrives()
            throws Exception {
        // A read that finds events is followed by another at once in Axon's reader: while commits never pause,
        // every read finds some, so it read back to back (on PostgreSQL 150 reads a second, each in a transaction
        // of its own), however long the wake-up delay.
        Duration delay = Duration.ofMillis(50);
        engine.readMillis = 3;
        store(delay);
        int events = 600;
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
            int readsBefore = engine.reads.get();
            long started = System.nanoTime();
            Thread committer = new Thread(() -> {
                for (int n = 0; n < events; n++) {
                    commit(n);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            });
            committer.start();
            for (int n = 0; n < events; n++) {
                assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d arrives", n).isTrue();
                assertThat(stream.nextAvailable().getPayload()).isEqualTo("e" + n);
            }
            committer.join();
            long millis = (System.nanoTime() - started) / 1_000_000;
            // A read per delay while it finds events; when one finds none, a commit's wake-up may follow it within
            // the same delay. Back to back, a read every 3 ms would be more than ten per delay.
            long windows = millis / delay.toMillis() + 1;
            assertThat(engine.reads.get() - readsBefore).as("reads in %d ms", millis)
                                                         .isLessThanOrEqualTo((int) (2 * windows + 2));
        }
    }

    @Test
    void givenAProcessorsStreamAtTheHead_whenAnEventIsCommitted_thenItsAvailabilityCallbackRunsWithTheEventAvailable()
            throws Exception {
        store(Duration.ofMillis(10));
        commit(0);
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            stream.nextAvailable();
            // A pooled streaming processor's coordinator does not block on the stream: without this callback it
            // looks for new events again only 500 ms after it found none.
            List<Boolean> availableAtCallback = new CopyOnWriteArrayList<>();
            assertThat(stream.setOnAvailableCallback(() -> availableAtCallback.add(stream.hasNextAvailable())))
                    .isTrue();
            commit(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !availableAtCallback.isEmpty());
            assertThat(availableAtCallback).contains(true);
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("e1");

            // A closed stream is told nothing more.
            stream.close();
            int calls = availableAtCallback.size();
            commit(2);
            try (BlockingStream<TrackedEventMessage<?>> other = store.openStream(null)) {
                List<Integer> seen = new CopyOnWriteArrayList<>();
                other.setOnAvailableCallback(() -> seen.add(1));
                commit(3);
                await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
            }
            assertThat(availableAtCallback).hasSize(calls);
        }
    }

    @Test
    void givenAProcessorsStreamWithACallbackAndNoNewEvents_whenTimePasses_thenItIsStillToldToLookEveryHalfSecond()
            throws Exception {
        store(Duration.ofMillis(10));
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            // Told of events, a coordinator stops looking by itself for the token-claim interval (2 s), and a look
            // is also when it claims a segment released after a failure: it must still be told to look.
            List<Long> calls = new CopyOnWriteArrayList<>();
            stream.setOnAvailableCallback(() -> calls.add(System.nanoTime()));
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(4)).until(() -> calls.size() >= 3);
            // Three looks in 1 to 1.5 s; 2.5 s leaves room for a slow machine, and the coordinator alone makes none.
            assertThat(TimeUnit.NANOSECONDS.toMillis(calls.get(2) - start)).isLessThan(2_500);
            assertThat(stream.hasNextAvailable()).isFalse();
        }
    }

    @Test
    void givenProcessorsJustToldToLookWithNoEvents_whenAnEventIsCommitted_thenTheyAreToldAtOnceNotAfterTheBusyDelay()
            throws Exception {
        // The longest busy-batch delay: told of the event only after it (or at the next look, 500 ms on), the
        // callback would come hundreds of milliseconds late.
        store(Duration.ofMillis(10), Duration.ofSeconds(1));
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            List<Long> toldWithEvent = new CopyOnWriteArrayList<>();
            AtomicLong committedAt = new AtomicLong();
            AtomicInteger looks = new AtomicInteger();
            stream.setOnAvailableCallback(() -> {
                if (stream.hasNextAvailable()) {
                    toldWithEvent.add(System.nanoTime() - committedAt.get());
                } else if (looks.incrementAndGet() == 1) {
                    // Committed right after the first look, which was no arrival: the ledger is still quiet.
                    committedAt.set(System.nanoTime());
                    commit(0);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !toldWithEvent.isEmpty());
            assertThat(TimeUnit.NANOSECONDS.toMillis(toldWithEvent.get(0))).isLessThan(250);
        }
    }

    @Test
    void givenAWakeUpOrBusyBatchDelayBelowZeroOrAboveOneSecond_whenConfigured_thenRefusedNamingTheSetting() {
        for (Duration refused : new Duration[] {Duration.ofMillis(-1), Duration.ofMillis(1001)}) {
            assertThatThrownBy(() -> new ProcessorProperties(1000, 2, null, 10000, 100000, Duration.ofSeconds(2),
                                                             refused, Duration.ZERO))
                    .hasMessageContaining("ledger.processors.wake-up-delay");
            assertThatThrownBy(() -> new ProcessorProperties(1000, 2, null, 10000, 100000, Duration.ofSeconds(2),
                                                             Duration.ZERO, refused))
                    .hasMessageContaining("ledger.processors.busy-batch-delay");
        }
        assertThat(new ProcessorProperties(1000, 2, null, 10000, 100000, Duration.ofSeconds(2), Duration.ZERO,
                                           Duration.ZERO)
                           .wakeUpDelay()).isZero();
    }
}
