package dk.casejourney.audit;

import dk.casejourney.common.IsoInstants;
import dk.casejourney.common.JdbcEventStore;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The events of Axon's JDBC storage engine (H2, PostgreSQL), read by an instance of that engine of its own: the
 * same table, schema and connections as the ledger's engine, but no upcasters, and read at the level of the
 * engine's stored entries ({@link DomainEventData}), whose payload and metadata are the column bytes as stored.
 * Reading the deserialized messages instead would hand over bytes re-serialized from today's classes, and an
 * edit those classes ignore (an unknown field) would go unseen. Its times are read as the ledger's engine reads
 * them, without a formatter ({@link JdbcEventStore.QuickTimesEngine}): a verification of the whole ledger parsed and
 * formatted each event's time five times through formatters.
 */
final class JdbcEngineEvents implements EventTable {

    private static final int BATCH = 1000;
    private final StoredEntries engine;
    private final Serializer serializer;

    JdbcEngineEvents(ConnectionProvider connections, TransactionManager transactions, EventSchema schema,
                     Serializer eventSerializer) {
        this.serializer = eventSerializer;
        this.engine = new StoredEntries(JdbcEventStorageEngine.builder()
                                                              .connectionProvider(connections)
                                                              .transactionManager(transactions)
                                                              .schema(schema)
                                                              .eventSerializer(eventSerializer)
                                                              .snapshotSerializer(eventSerializer)
                                                              .batchSize(BATCH)
                                                              // As the ledger's engine reads a token with gaps:
                                                              // on H2 by the key, not by a scan per batch.
                                                              .readEventDataWithGaps(JdbcEventStore::readWithGaps));
    }

    @Override
    public List<StoredEvent> ofCase(String caseId) {
        try (Stream<? extends DomainEventData<?>> entries = engine.entriesOf(caseId)) {
            return entries.map(entry -> stored(-1, entry)).toList();
        }
    }

    @Override
    public long forEachAfter(long position, Consumer<StoredEvent> consumer) {
        TrackingToken after = position < 0 ? null : GapAwareTrackingToken.newInstance(position, Collections.emptySet());
        long[] last = {position};
        try (Stream<? extends TrackedEventData<?>> entries = engine.entriesAfter(after)) {
            entries.forEach(entry -> {
                long index = entry.trackingToken().position().orElse(-1);
                last[0] = Math.max(last[0], index);
                if (entry instanceof DomainEventData<?> domain && domain.getType() != null) {
                    consumer.accept(stored(index, domain));
                }
            });
        }
        return last[0];
    }

    @Override
    public long headPosition() {
        TrackingToken head = engine.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    @Override
    public String describe() {
        return "Axon's JDBC event storage engine";
    }

    private StoredEvent stored(long globalIndex, DomainEventData<?> entry) {
        SerializedObject<?> payload = entry.getPayload();
        return new StoredEvent(globalIndex, entry.getAggregateIdentifier(), entry.getSequenceNumber(), entry.getType(),
                               entry.getEventIdentifier(), IsoInstants.formatMillis(entry.getTimestamp()),
                               payload.getType().getName(), payload.getType().getRevision(), bytes(payload),
                               bytes(entry.getMetaData()));
    }

    /** The column's bytes: the engine reads them as byte[] already, so no conversion takes place. */
    private byte[] bytes(SerializedObject<?> serialized) {
        if (serialized == null || serialized.getData() == null) {
            return null;
        }
        return serialized.getData() instanceof byte[] bytes ? bytes
                : serializer.getConverter().convert(serialized, byte[].class).getData();
    }

    /** The engine's stored entries, which it otherwise only hands to its own upcasting and deserializing. */
    private static final class StoredEntries extends JdbcEventStore.QuickTimesEngine {

        StoredEntries(JdbcEventStorageEngine.Builder builder) {
            super(builder);
        }

        Stream<? extends DomainEventData<?>> entriesOf(String aggregateId) {
            return readEventData(aggregateId, 0);
        }

        Stream<? extends TrackedEventData<?>> entriesAfter(TrackingToken token) {
            return readEventData(token, false);
        }
    }
}
