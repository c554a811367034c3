package dk.casejourney.common;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The JDBC event store (H2 and PostgreSQL profiles; Axon Server keeps its own): Axon's engine built as its
 * auto-configuration builds it, with each event's time read and written without a formatter
 * ({@link QuickTimesEngine}) and one change on H2. A tracking token with gaps (positions a rolled-back or
 * killed append left unused) reads with {@code (range) OR global_index IN (gaps)}, which H2 cannot answer from the
 * primary key: it scans the whole event table, on every fetch of every processor segment, until the gaps are
 * 10,000 positions old (59.6 ms against 0.3 ms per fetch at 500,000 events). The same rows read as a
 * {@code UNION ALL} of the range and the gaps use the key for both (gaps lie below the range: no row twice).
 * The event store in front of it is Axon's embedded one, with the processors' reader woken at most once per
 * {@code ledger.processors.wake-up-delay} ({@link CoalescingEventStore}).
 */
@Configuration(proxyBeanMethods = false)
public class JdbcEventStore {

    /** SQLSTATE of a unique-key violation, the same on H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager, EventSchema schema) {
        return new QuickTimesEngine(JdbcEventStorageEngine.builder()
                                     .snapshotSerializer(defaultSerializer)
                                     .upcasterChain(configuration.upcasterChain())
                                     // A unique-key violation (SQLSTATE 23505) is a concurrent write to the case:
                                     // Axon's JdbcSQLErrorCodesResolver looks for a JDBC exception class that
                                     // neither H2's nor PostgreSQL's driver throws for a batch, so it went by as a
                                     // plain store failure.
                                     .persistenceExceptionResolver(new SQLStateResolver(UNIQUE_VIOLATION))
                                     .eventSerializer(eventSerializer)
                                     .snapshotFilter(configuration.snapshotFilter())
                                     .connectionProvider(connectionProvider)
                                     .transactionManager(transactionManager)
                                     .schema(schema)
                                     .readEventDataWithGaps(JdbcEventStore::readWithGaps));
    }

    /**
     * Axon's engine, with each event's stored time read once, by {@link IsoInstants} instead of a formatter, for the
     * message and for the gap check. Also the base of the audit's reader of stored entries.
     */
    public static class QuickTimesEngine extends JdbcEventStorageEngine implements AvailableEvents {

        /** Axon's defaults, set here so that {@link #getTrackedEventData} uses the engine's own. */
        static final long LOWEST_GLOBAL_SEQUENCE = 1;
        static final int MAX_GAP_OFFSET = 10_000;
        static final int GAP_TIMEOUT_MILLIS = 60_000;
        /** Milliseconds after which a missing position is no longer waited for; Axon's copy is private. */
        private volatile int gapTimeout = GAP_TIMEOUT_MILLIS;

        protected QuickTimesEngine(Builder builder) {
            super(builder.lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE).maxGapOffset(MAX_GAP_OFFSET)
                         .gapTimeout(GAP_TIMEOUT_MILLIS));
        }

        /** Axon's text of the time ({@link IsoInstants#formatMillis}), without its formatter. */
        @Override
        protected void writeTimestamp(PreparedStatement preparedStatement, int position, Instant timestamp)
                throws SQLException {
            preparedStatement.setString(position, IsoInstants.formatMillis(timestamp));
        }

        /**
         * Batches until one ends short of the positions it asked for: Axon's read of a token at position p asks for
         * the positions up to p + batch size (and the token's gaps), so a batch whose last event comes before that
         * reached the last event stored; a batch that is short only for gaps within it is followed by the next, as
         * in Axon's stream. Axon's stream reads on until a batch is empty, and an empty batch is followed by a look
         * past a gap: for the store's shared reader, which reads again whenever it found events, that was a second
         * read and a look (two statements, a transaction) after every read.
         */
        @Override
        public Stream<? extends TrackedEventMessage<?>> readAvailable(TrackingToken token) {
            return EventUtils.upcastAndDeserializeTrackedEvents(
                    StreamSupport.stream(new UntilShortBatch(token), false), getEventSerializer(), upcasterChain);
        }

        /** The batches of {@link #readAvailable}, read as the stream is consumed. */
        private final class UntilShortBatch extends Spliterators.AbstractSpliterator<TrackedEventData<?>> {

            private TrackingToken last;
            private Iterator<? extends TrackedEventData<?>> batch = Collections.emptyIterator();
            private boolean shortBatchRead;

            UntilShortBatch(TrackingToken token) {
                super(Long.MAX_VALUE, ORDERED | NONNULL);
                this.last = token;
            }

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
                if (!batch.hasNext()) {
                    if (shortBatchRead) {
                        return false;
                    }
                    long upTo = position(last) + batchSize();
                    List<? extends TrackedEventData<?>> read = fetchTrackedEvents(last, batchSize());
                    shortBatchRead = read.isEmpty()
                            || read.size() < batchSize() && position(read.get(read.size() - 1).trackingToken()) < upTo;
                    batch = read.iterator();
                    if (!batch.hasNext()) {
                        return false;
                    }
                }
                TrackedEventData<?> next = batch.next();
                last = next.trackingToken();
                action.accept(next);
                return true;
            }

            /** The token's position as Axon's read counts it: -1 before the first event. */
            private static long position(TrackingToken token) {
                return token == null ? -1 : ((GapAwareTrackingToken) token).getIndex();
            }
        }

        /**
         * Axon's reading of a tracked event, with its time read once, by {@link IsoInstants}: Axon's own reads it
         * through its formatter for the gap check (whether positions missing before the event may still be filled),
         * which was a third of a replay's reading (docs/benchmarks.md), and the message needs it again. The token
         * follows Axon's rule with the same settings ({@link #LOWEST_GLOBAL_SEQUENCE}, {@link #MAX_GAP_OFFSET},
         * the gap timeout); JdbcEventStoreTest compares every token and field with Axon's own reading.
         */
        @Override
        protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
                throws SQLException {
            EventSchema schema = schema();
            long globalIndex = resultSet.getLong(schema.globalIndexColumn());
            String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
            String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
            Object storedTime = readTimeStamp(resultSet, schema.timestampColumn());
            // As Axon's: an event that is no aggregate's is stored with its own identifier as the aggregate's.
            GenericDomainEventEntry<?> entry = new GenericDomainEventEntry<>(
                    resultSet.getString(schema.typeColumn()),
                    eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                    resultSet.getLong(schema.sequenceNumberColumn()), eventIdentifier, storedTime,
                    resultSet.getString(schema.payloadTypeColumn()), resultSet.getString(schema.payloadRevisionColumn()),
                    readPayload(resultSet, schema.payloadColumn()), readPayload(resultSet, schema.metaDataColumn()));
            Instant time = IsoInstants.parseOffsetDateTime(storedTime.toString());
            boolean allowGaps = time.isAfter(GenericEventMessage.clock.instant().minusMillis(gapTimeout));
            GapAwareTrackingToken token;
            if (previousToken == null) {
                token = GapAwareTrackingToken.newInstance(
                        globalIndex, allowGaps
                                ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalIndex), globalIndex).boxed()
                                            .collect(Collectors.toCollection(TreeSet::new))
                                : Collections.emptySortedSet());
            } else {
                token = previousToken.advanceTo(globalIndex, allowGaps ? MAX_GAP_OFFSET : 0);
            }
            return new TrackedDomainEventData<>(token, new QuickTimes<>(entry, time));
        }

        @Override
        public void setGapTimeout(int gapTimeout) {
            super.setGapTimeout(gapTimeout);
            this.gapTimeout = gapTimeout;
        }

        @Override
        protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
            return quickTimes(super.getDomainEventData(resultSet), resultSet);
        }

        private <T> DomainEventData<T> quickTimes(DomainEventData<T> event, ResultSet resultSet) throws SQLException {
            String stored = readTimeStamp(resultSet, schema().timestampColumn()).toString();
            return new QuickTimes<>(event, IsoInstants.parseOffsetDateTime(stored));
        }
    }

    /** An event read from the table, with its time read already. */
    private record QuickTimes<T>(DomainEventData<T> event, Instant timestamp) implements DomainEventData<T> {

        @Override
        public String getType() {
            return event.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return event.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return event.getSequenceNumber();
        }

        @Override
        public String getEventIdentifier() {
            return event.getEventIdentifier();
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public SerializedObject<T> getMetaData() {
            return event.getMetaData();
        }

        @Override
        public SerializedObject<T> getPayload() {
            return event.getPayload();
        }
    }

    /** Axon's auto-configured embedded event store (same monitor and spans) with coalesced wake-ups. */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                  org.axonframework.config.Configuration configuration,
                                  ProcessorProperties properties) {
        return new CoalescingEventStore(
                EmbeddedEventStore.builder()
                                  .storageEngine(storageEngine)
                                  .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                                  .spanFactory(configuration.getComponent(EventBusSpanFactory.class)),
                properties.wakeUpDelay(), properties.busyBatchDelay());
    }

    /**
     * The read of a token with gaps as the ledger's event store makes it: on H2 the union below, on any other
     * database Axon's own statement. For every engine over the event table, the audit's reader included.
     */
    public static PreparedStatement readWithGaps(Connection connection, EventSchema schema, long globalIndex,
                                                 int batchSize, List<Long> gaps) throws SQLException {
        return "H2".equals(connection.getMetaData().getDatabaseProductName())
                ? readEventDataWithGaps(connection, schema, globalIndex, batchSize, gaps)
                : JdbcEventStorageEngineStatements.readEventDataWithGaps(connection, schema, globalIndex, batchSize,
                                                                          gaps);
    }

    static String gapsQuery(EventSchema schema, int gaps) {
        String select = "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable() + " WHERE ";
        return select + schema.globalIndexColumn() + " > ? AND " + schema.globalIndexColumn() + " <= ?"
                + " UNION ALL " + select + schema.globalIndexColumn() + " IN ("
                + String.join(",", Collections.nCopies(gaps, "?")) + ")"
                + " ORDER BY " + schema.globalIndexColumn() + " ASC";
    }

    /** Axon's statement for a token with gaps, as a union: the events after the token's index, and the gaps. */
    static PreparedStatement readEventDataWithGaps(Connection connection, EventSchema schema, long globalIndex,
                                                   int batchSize, List<Long> gaps) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(gapsQuery(schema, gaps.size()));
        statement.setLong(1, globalIndex);
        statement.setLong(2, globalIndex + batchSize);
        for (int i = 0; i < gaps.size(); i++) {
            statement.setLong(i + 3, gaps.get(i));
        }
        return statement;
    }
}
