package dk.casejourney.common;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcEventStoreTest {

    private static final Set<Long> NEVER_STORED = Set.of(1_500L, 2_050L);
    private final EventSchema schema = AxonConfiguration.ledgerEventSchema();
    private Connection connection;

    @BeforeEach
    void store() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:gaps-" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/store", "classpath:db/store-h2").load()
              .migrate();
        connection = dataSource.getConnection();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type, "
                        + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
                        + "VALUES (?, ?, 0, 'Case', ?, NULL, ?, NULL, 'Opened', '2024-03-01T09:00:00Z')")) {
            for (long position = 1; position <= 3_000; position++) {
                if (NEVER_STORED.contains(position)) {
                    continue;
                }
                insert.setLong(1, position);
                insert.setString(2, "case-" + position);
                insert.setString(3, "event-" + position);
                insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void givenATokenWithGaps_whenItsNextBatchIsRead_thenTheRowsAreAxonsOwnQuerysInTheSameOrder() throws SQLException {
        // Position 100 was a gap that a late commit filled; 1,500 is still empty; the range holds 2,050's hole.
        List<Long> gaps = List.of(100L, 1_500L);

        List<Long> ours = positions(JdbcEventStore.readEventDataWithGaps(connection, schema, 2_000, 100, gaps));
        List<Long> axons = positions(JdbcEventStorageEngineStatements.readEventDataWithGaps(connection, schema, 2_000,
                                                                                             100, gaps));

        assertThat(ours).isEqualTo(axons).hasSize(100).startsWith(100L, 2_001L).endsWith(2_100L)
                        .doesNotContain(2_050L).isSorted();
    }

    @Test
    void givenATokenWithGaps_whenH2PlansTheRead_thenBothPartsUseThePrimaryKeyWhereAxonsQueryScansTheTable()
            throws SQLException {
        String axons = "SELECT " + schema.trackedEventFields() + " FROM domain_event_entry WHERE (global_index > ? "
                + "AND global_index <= ?) OR global_index IN (?,?) ORDER BY global_index ASC";

        assertThat(plan(JdbcEventStore.gapsQuery(schema, 2)))
                .containsPattern("primary_key_\\w*: global_index > \\?1 and global_index <= \\?2 \\*/")
                .containsPattern("primary_key_\\w*: global_index in\\(\\?3, \\?4\\) \\*/");
        assertThat(plan(axons)).as("Axon's own query, for contrast")
                               .doesNotContainPattern("primary_key_\\w*: global_index");
    }

    /** H2's plan of the query, in one line: the index it uses and its conditions are in comments. */
    private String plan(String query) throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + query)) {
            explain.setLong(1, 2_000);
            explain.setLong(2, 2_100);
            explain.setLong(3, 100);
            explain.setLong(4, 1_500);
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1).toLowerCase().replaceAll("\\s+", " ");
            }
        }
    }

    private static List<Long> positions(PreparedStatement statement) throws SQLException {
        List<Long> positions = new ArrayList<>();
        try (statement; ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                positions.add(rows.getLong("global_index"));
            }
        }
        return positions;
    }

    @Test
    void givenStoredTimesInEveryForm_whenTheLedgersEngineReadsEvents_thenEachHasTheTimeAxonsOwnEngineReads()
            throws SQLException {
        List<String> forms = List.of("2024-03-01T09:00:00.123Z", "2024-03-31T00:59:59.999Z", "2024-10-27T01:30:00Z",
                                     "2024-03-01T10:00:00.5+01:00", "2024-02-29T23:59:59.000000001Z");
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE domain_event_entry SET time_stamp = ?, meta_data = ? WHERE global_index = ?")) {
            for (long position = 1; position <= 3_000; position++) {
                update.setString(1, forms.get((int) (position % forms.size())));
                update.setBytes(2, "{}".getBytes(StandardCharsets.UTF_8));
                update.setLong(3, position);
                update.addBatch();
            }
            update.executeBatch();
        }
        JdbcEventStorageEngine axons = engine().build();
        JdbcEventStorageEngine ledgers = new JdbcEventStore.QuickTimesEngine(engine());
        List<Instant> expected = axons.readEvents(null, false).map(EventMessage::getTimestamp).toList();
        assertThat(expected).hasSize(3_000 - NEVER_STORED.size());
        assertThat(ledgers.readEvents(null, false).map(EventMessage::getTimestamp).toList()).isEqualTo(expected);
        for (String caseId : List.of("case-1", "case-2", "case-1499")) {
            assertThat(ledgers.readEvents(caseId).asStream().map(EventMessage::getTimestamp).toList())
                    .as(caseId)
                    .isEqualTo(axons.readEvents(caseId).asStream().map(EventMessage::getTimestamp).toList())
                    .hasSize(1);
        }
    }

    @Test
    void givenGapsAndTimesOnBothSidesOfTheGapTimeout_whenTheLedgersEngineReadsTrackedEvents_thenEveryTokenAndFieldIsAxonsOwn()
            throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE domain_event_entry SET time_stamp = ?, meta_data = ?, aggregate_identifier = ? "
                        + "WHERE global_index = ?")) {
            for (long position = 1; position <= 3_000; position++) {
                // Beyond any gap timeout up to 1,000; 20 s old up to 2,000 (within the default 60 s, beyond 10 s); after
                // that ahead of the clock (as from an instance whose clock runs fast), so that they stay within any
                // timeout however slowly the test runs, and no event crosses a timeout between the two engines' reads.
                Instant time = position <= 1_000 ? now.minus(Duration.ofDays(3))
                        : position <= 2_000 ? now.minusSeconds(20) : now.plusSeconds(300).plusMillis(position);
                update.setString(1, IsoInstants.formatMillis(time));
                update.setBytes(2, ("{\"traceId\":\"" + position + "\"}").getBytes(StandardCharsets.UTF_8));
                // Every seventh no aggregate's event: Axon stores those with their own identifier as the aggregate's.
                update.setString(3, (position % 7 == 0 ? "event-" : "case-") + position);
                update.setLong(4, position);
                update.addBatch();
            }
            update.executeBatch();
        }
        JdbcEventStorageEngine axons = engine().build();
        JdbcEventStore.QuickTimesEngine ledgers = new JdbcEventStore.QuickTimesEngine(engine());

        List<String> expected = described(axons.readEvents(null, false));
        assertThat(expected).hasSize(3_000 - NEVER_STORED.size())
                            .anyMatch(event -> event.contains("gaps=[1500, 2050]"))
                            .anyMatch(event -> event.startsWith("GapAwareTrackingToken{index=1499, gaps=[]}"))
                            .anyMatch(event -> event.endsWith(" no aggregate"));
        assertThat(described(ledgers.readEvents(null, false))).containsExactlyElementsOf(expected);
        // From tokens with gaps, and from one whose gap was filled since.
        for (long from : List.of(1_400L, 1_600L, 2_040L, 2_500L)) {
            TrackingToken token = axons.readEvents(null, false).skip(from - 1).findFirst().orElseThrow()
                                       .trackingToken();
            assertThat(described(ledgers.readEvents(token, false)))
                    .as("from %s", token).containsExactlyElementsOf(described(axons.readEvents(token, false)));
        }
        // A shorter gap timeout: the 20-s-old events no longer wait for the missing position before them.
        JdbcEventStorageEngine axonsShorter = engine().build();
        JdbcEventStore.QuickTimesEngine ledgersShorter = new JdbcEventStore.QuickTimesEngine(engine());
        axonsShorter.setGapTimeout(10_000);
        ledgersShorter.setGapTimeout(10_000);
        List<String> shorter = described(axonsShorter.readEvents(null, false));
        assertThat(shorter).isNotEqualTo(expected).noneMatch(event -> event.contains("gaps=[1500"));
        assertThat(described(ledgersShorter.readEvents(null, false))).containsExactlyElementsOf(shorter);

        TrackingToken withGap = axons.readEvents(null, false).skip(2_500).findFirst().orElseThrow().trackingToken();
        insertAt(1_500, now.plusSeconds(300));
        assertThat(described(ledgers.readEvents(withGap, false)))
                .containsExactlyElementsOf(described(axons.readEvents(withGap, false)))
                .first().asString().contains("event-1500");

    }

    /** Each event as a line: its token, identifier, aggregate and sequence, time and metadata. */
    private static List<String> described(Stream<? extends TrackedEventMessage<?>> events) {
        return events.map(event -> event.trackingToken() + " " + event.getIdentifier() + " " + event.getTimestamp()
                + " " + event.getMetaData() + " " + (event instanceof DomainEventMessage<?> domain
                ? domain.getType() + "/" + domain.getAggregateIdentifier() + "/" + domain.getSequenceNumber()
                : "no aggregate")).toList();
    }

    private void insertAt(long position, Instant time) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type, "
                        + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
                        + "VALUES (?, ?, 0, 'Case', ?, ?, ?, NULL, 'Opened', ?)")) {
            insert.setLong(1, position);
            insert.setString(2, "case-" + position);
            insert.setString(3, "event-" + position);
            insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
            insert.setString(6, IsoInstants.formatMillis(time));
            insert.executeUpdate();
        }
    }

    @Test
    void givenEventsAfterAToken_whenTheSharedReaderReadsThem_thenItStopsAtTheBatchThatReachedTheLastWhereAxonReadsOnAndLooksPastGaps()
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE domain_event_entry SET meta_data = ?")) {
            update.setBytes(1, "{}".getBytes(StandardCharsets.UTF_8));
            update.executeUpdate();
        }
        JdbcEventStore.QuickTimesEngine ledgers = new JdbcEventStore.QuickTimesEngine(engine(counted(connection)));
        JdbcEventStorageEngine axons = engine(counted(connection)).build();

        // From the start: batches until one ends before the positions it asked for; those short only for the gaps
        // within them (at 1,500 and 2,050) are followed by the next.
        statements = 0;
        List<Long> read = ledgers.readAvailable(null).map(JdbcEventStoreTest::position).toList();
        assertThat(statements).as("a statement per batch of 100 positions").isEqualTo(31);
        assertThat(read).isEqualTo(axons.readEvents(null, false).map(JdbcEventStoreTest::position).toList())
                        .hasSize(3_000 - NEVER_STORED.size());
        TrackingToken nearTheEnd = axons.readEvents(null, false).filter(event -> position(event) == 2_960)
                                        .findFirst().orElseThrow().trackingToken();

        statements = 0;
        assertThat(axons.readEvents(nearTheEnd, true).map(JdbcEventStoreTest::position).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(2_961, 3_000).boxed().toList());
        int axonsStatements = statements;
        statements = 0;
        assertThat(ledgers.readAvailable(nearTheEnd).map(JdbcEventStoreTest::position).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(2_961, 3_000).boxed().toList());
        assertThat(statements).as("one read: its batch was short").isEqualTo(1);
        assertThat(axonsStatements).as("Axon's: the batch, an empty batch and the look past a gap").isEqualTo(3);

        // Nothing after the token: the engine's own empty read, its look past a gap included.
        TrackingToken atTheEnd = axons.readEvents(nearTheEnd, false).reduce((earlier, later) -> later).orElseThrow()
                                      .trackingToken();
        statements = 0;
        assertThat(ledgers.readAvailable(atTheEnd)).isEmpty();
        assertThat(statements).isEqualTo(2);
    }

    private int statements;

    private static long position(TrackedEventMessage<?> event) {
        return Long.parseLong(((DomainEventMessage<?>) event).getAggregateIdentifier().substring("case-".length()));
    }

    /** The test's connection, with its prepared statements counted. */
    private Connection counted(Connection connection) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(
                JdbcEventStoreTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        statements++;
                    }
                    return method.invoke(connection, args);
                });
    }

    private JdbcEventStorageEngine.Builder engine(Connection connection) {
        return JdbcEventStorageEngine.builder()
                                     .connectionProvider(() -> connectionNotClosed(connection))
                                     .transactionManager(NoTransactionManager.INSTANCE)
                                     .eventSerializer(JacksonSerializer.defaultSerializer())
                                     .snapshotSerializer(JacksonSerializer.defaultSerializer())
                                     .schema(schema);
    }

    private JdbcEventStorageEngine.Builder engine() {
        return engine(connection);
    }

    /** The test's one connection, which Axon's engine closes after each read. */
    private static Connection connectionNotClosed(Connection connection) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(
                JdbcEventStoreTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("close") ? null : method.invoke(connection, args));
    }
}
