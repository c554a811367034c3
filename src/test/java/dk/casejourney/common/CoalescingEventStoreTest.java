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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescingEventStoreTest {

    /** Counts the reads of the event table (the store's reader and any private stream alike). */
    private static final class CountingEngine extends InMemoryEventStorageEngine {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            reads.incrementAndGet();
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
        store = new CoalescingEventStore(EmbeddedEventStore.builder().storageEngine(engine)
                                                           .fetchDelay(1).timeUnit(TimeUnit.HOURS), delay);
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
    void givenAWakeUpDelayBelowZeroOrAboveOneSecond_whenConfigured_thenRefusedNamingTheSetting() {
        for (Duration refused : new Duration[] {Duration.ofMillis(-1), Duration.ofMillis(1001)}) {
            assertThatThrownBy(() -> new ProcessorProperties(1000, 2, null, 10000, 100000, Duration.ofSeconds(2),
                                                             refused))
                    .hasMessageContaining("ledger.processors.wake-up-delay");
        }
        assertThat(new ProcessorProperties(1000, 2, null, 10000, 100000, Duration.ofSeconds(2), Duration.ZERO)
                           .wakeUpDelay()).isZero();
    }
}
