package dk.casejourney.audit;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ledger's events as they are stored, whichever store holds them: the one seam through which verification,
 * checkpoints and rebuilds read events. Each implementation reads through the store's own Axon API and never
 * through today's upcasters, since the hash chain covers the bytes as they were written:
 * {@link JdbcEngineEvents} for Axon's JDBC storage engine (H2, PostgreSQL), {@link AxonServerEvents} for Axon
 * Server. {@link StoredEventsConfiguration} picks the one that fits the event store and refuses to start with
 * any other, so no feature can silently read an empty table beside the real store.
 */
interface EventTable {

    /** One case's events in sequence order from the first; empty when the store holds no such case. */
    List<StoredEvent> ofCase(String caseId);

    /**
     * Every aggregate's event after a global position ({@code -1}: from the first), in the order the store
     * recorded them, up to at least the head as it was when called. Events that belong to no aggregate are
     * skipped, as no chain covers them.
     *
     * @return the position of the last event read (skipped ones included), or {@code position} when none
     */
    long forEachAfter(long position, Consumer<StoredEvent> consumer);

    /** The position of the newest stored event, or -1 when the store is empty. */
    long headPosition();

    /** Which store this is, for messages: never a secret, never personal data. */
    String describe();

    /** How many aggregate events the store holds (reads them all). */
    default long count() {
        long[] count = {0};
        forEachAfter(-1, event -> count[0]++);
        return count[0];
    }

    /** The cases that have events beyond a position: their read-model rows may have changed since. */
    default List<String> casesWithEventsAfter(long globalIndex) {
        Set<String> cases = new LinkedHashSet<>();
        forEachAfter(globalIndex, event -> cases.add(event.aggregateId()));
        return List.copyOf(cases);
    }
}
