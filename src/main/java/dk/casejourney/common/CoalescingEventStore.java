package dk.casejourney.common;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
 */
final class CoalescingEventStore extends EmbeddedEventStore {

    private final long delayNanos;
    private final ScheduledExecutorService waker;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    /** When the reader was last woken ({@link System#nanoTime()}); one wake-up at a time sets it (wakeUpPending). */
    private volatile long lastWakeUp;

    CoalescingEventStore(Builder builder, Duration delay) {
        super(builder);
        this.delayNanos = delay.toNanos();
        this.lastWakeUp = System.nanoTime() - delayNanos;
        this.waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-store-waker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (delayNanos <= 0) {
            super.afterCommit(events);
            return;
        }
        if (!wakeUpPending.compareAndSet(false, true)) {
            // A wake-up is due that has not begun: it starts after this commit, and takes its events.
            return;
        }
        long wait = lastWakeUp + delayNanos - System.nanoTime();
        if (wait <= 0) {
            wakeUp(events);
            return;
        }
        try {
            waker.schedule(() -> wakeUp(events), wait, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            wakeUp(events);
        }
    }

    private void wakeUp(List<? extends EventMessage<?>> events) {
        // Noted first, so that the next commit's wake-up is spaced from this one; cleared before waking, so that a
        // commit after this point sees no wake-up due and makes one of its own.
        lastWakeUp = System.nanoTime();
        wakeUpPending.set(false);
        super.afterCommit(events);
    }

    @Override
    public void shutDown() {
        waker.shutdownNow();
        super.shutDown();
    }
}
