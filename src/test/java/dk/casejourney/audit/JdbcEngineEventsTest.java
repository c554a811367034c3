package dk.casejourney.audit;

import dk.casejourney.common.AxonConfiguration;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcEngineEventsTest {

    private static final long NEVER_STORED = 1_500;
    private static final long LAST = 3_000;
    private final JdbcDataSource dataSource = new JdbcDataSource();
    /** Every statement the audit's engine prepared, as its SQL. */
    private final List<String> statements = new CopyOnWriteArrayList<>();

    @BeforeEach
    void store() throws SQLException {
        dataSource.setURL("jdbc:h2:mem:audit-gaps-" + System.nanoTime()
                                  + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/store", "classpath:db/store-h2").load()
              .migrate();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type, "
                             + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
                             + "VALUES (?, ?, 0, 'Case', ?, ?, ?, NULL, 'Opened', ?)")) {
            // Recorded just now: Axon's engine forgets gaps among events older than its gap timeout (60 s).
            String now = Instant.now().toString();
            for (long position = 1; position <= LAST; position++) {
                if (position == NEVER_STORED) {
                    continue;
                }
                insert.setLong(1, position);
                insert.setString(2, "case-" + position);
                insert.setString(3, "event-" + position);
                insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
                insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
                insert.setString(6, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Test
    void givenAPositionNeverStored_whenTheAuditReadsPastIt_thenItReadsTheGapByTheKeyAsTheLedgersStoreDoes() {
        EventSchema schema = AxonConfiguration.ledgerEventSchema();
        JdbcEngineEvents events = new JdbcEngineEvents(this::recordingConnection, NoTransactionManager.INSTANCE,
                                                       schema, JacksonSerializer.defaultSerializer());
        List<Long> read = new ArrayList<>();

        long last = events.forEachAfter(-1, event -> read.add(event.globalIndex()));

        assertThat(last).isEqualTo(LAST);
        assertThat(read).hasSize((int) LAST - 1).doesNotContain(NEVER_STORED).isSorted();
        List<String> withGaps = statements.stream().filter(sql -> sql.contains(" IN (")).toList();
        assertThat(withGaps).as("batches read after the gap: its token carries the gap").isNotEmpty()
                            .allSatisfy(sql -> assertThat(sql).as("the store's union, each part by the key")
                                                              .contains(" UNION ALL ").doesNotContain(" OR "));
    }

    @Test
    void givenStoredTimesInEveryForm_whenTheAuditReadsEvents_thenEachTimeIsAxonsTextOfIt() throws SQLException {
        // As written by Axon's engine, by earlier versions of the ledger, or edited by hand: any precision, any offset.
        List<String> forms = List.of("2024-03-01T09:00:00Z", "2024-03-01T09:00:00.1Z", "2024-03-01T09:00:00.123Z",
                                     "2024-03-31T00:59:59.999999Z", "2024-02-29T23:59:59.000000001Z",
                                     "2024-10-27T02:30:00.5+01:00", "2024-10-27T01:30:00-02:30",
                                     "1999-12-31T23:59:59.9999+14:00");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE domain_event_entry SET time_stamp = ? WHERE global_index = ?")) {
            for (long position = 1; position <= LAST; position++) {
                update.setString(1, forms.get((int) (position % forms.size())));
                update.setLong(2, position);
                update.addBatch();
            }
            update.executeBatch();
        }
        JdbcEngineEvents events = new JdbcEngineEvents(dataSource::getConnection, NoTransactionManager.INSTANCE,
                                                       AxonConfiguration.ledgerEventSchema(),
                                                       JacksonSerializer.defaultSerializer());
        List<String> read = new ArrayList<>();

        events.forEachAfter(-1, event -> read.add(event.timestamp()));

        List<String> axons = new ArrayList<>();
        for (long position = 1; position <= LAST; position++) {
            if (position != NEVER_STORED) {
                axons.add(DateTimeUtils.formatInstant(
                        DateTimeUtils.parseInstant(forms.get((int) (position % forms.size())))));
            }
        }
        assertThat(read).containsExactlyElementsOf(axons).contains("2024-10-27T01:30:00.500Z", "1999-12-31T09:59:59.999Z");
        for (long position : List.of(1L, 6L, 7L, 2_999L)) {
            assertThat(events.ofCase("case-" + position)).singleElement().extracting(StoredEvent::timestamp)
                    .isEqualTo(DateTimeUtils.formatInstant(
                            DateTimeUtils.parseInstant(forms.get((int) (position % forms.size())))));
        }
    }

    /** A connection of the test's database that records the SQL of every statement it prepares. */
    private Connection recordingConnection() throws SQLException {
        Connection connection = dataSource.getConnection();
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("prepareStatement") && arguments != null
                            && arguments[0] instanceof String sql) {
                        statements.add(sql);
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
