package dk.casejourney.audit;

import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.common.H2GroupCommit;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Issue 14: on H2 the event store's global_index identity hands out positions from a cache of 1,000
 * (db/store-h2). A restart must never hand out a position again, and a process killed mid-write leaves a gap of
 * up to 1,000 positions (plus its uncommitted inserts), which every reader of positions must take in its stride:
 * the ledger verification reads up to the head, the cases written after a position are found, and Axon's
 * tracking tokens step over the gap (kept while recent, dropped once old). The store is the application's own:
 * its URL and Flyway locations come from application.yml; the kill is a real one (a child JVM halted).
 */
class EventPositionGapsTest {

    private static final int CACHE = 1000;

    @TempDir
    Path dataDir;

    @Test
    void givenAStoreMigratedByAnEarlierRelease_whenMigratedByThisOne_thenItsPositionsComeFromACacheOf1000()
            throws Exception {
        List<String> locations = new ArrayList<>(locations());
        locations.removeIf(location -> location.contains("store-h2"));
        // The earlier release's schema: every migration up to V130, the last before V140.
        Flyway.configure().dataSource(url(dataDir), "sa", "").locations(locations.toArray(String[]::new))
              .target("130").load().migrate();
        assertThat(identityCache()).as("H2's own default").isEqualTo(32);
        List<Long> before = append("case-a", 3);

        migrate();

        assertThat(identityCache()).isEqualTo(CACHE);
        assertThat(append("case-a", 3).get(0)).isGreaterThan(before.get(2));
    }

    @Test
    void givenTheEmbeddedStore_whenItsProcessIsStoppedOrKilledMidWrite_thenPositionsOnlyIncreaseAndEveryReaderStepsOverTheGap()
            throws Exception {
        migrate();
        assertThat(identityCache()).isEqualTo(CACHE);

        List<Long> first = appendInChild("case-a", 5, false);
        List<Long> second = appendInChild("case-b", 5, true);
        List<Long> third = appendInChild("case-c", 5, false);

        assertThat(first).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(second.get(0)).as("after a kill").isGreaterThan(first.get(4));
        assertThat(third.get(0)).as("after a kill mid-write").isGreaterThan(second.get(4));
        // The cache and the one uncommitted insert: nothing wider.
        assertThat(third.get(0) - second.get(4) - 1).isBetween(1L, (long) CACHE + 1);
        List<Long> stored = positions();
        assertThat(stored).hasSize(15).isSorted();

        JdbcEngineEvents events = engineEvents();
        long head = events.headPosition();
        assertThat(head).isEqualTo(third.get(4));
        List<Long> read = new ArrayList<>();
        assertThat(events.forEachAfter(-1, event -> read.add(event.globalIndex()))).isEqualTo(head);
        assertThat(read).isEqualTo(stored);
        assertThat(events.casesWithEventsAfter(second.get(4))).containsExactly("case-c");
        assertThat(events.casesWithEventsAfter(first.get(4))).containsExactly("case-b", "case-c");

        Checkpoints checkpoints = mock(Checkpoints.class);
        when(checkpoints.newest(ChainVerifier.CHECKPOINTS_VERIFIED)).thenReturn(List.of());
        LedgerVerification verification = new ChainVerifier(events, new LedgerKeys("", ""), checkpoints)
                .verifyLedger(done -> {
                });
        assertThat(verification.problem()).as("the gap is no event left unread").isNull();
        assertThat(verification.eventsChecked()).isEqualTo(15);

        // A processor that had handled everything before the kill: the recent gap is kept in its token (an event
        // committed late could still fill it), so it counts as handled only up to the gap ...
        Tracker tracker = new Tracker(connections());
        TrackingToken beforeGap = GapAwareTrackingToken.newInstance(second.get(4), Collections.emptySet());
        List<? extends TrackedEventData<?>> after = tracker.after(beforeGap);
        assertThat(after).hasSize(5);
        TrackingToken recent = after.get(4).trackingToken();
        assertThat(Positions.of(recent)).isEqualTo(head);
        assertThat(Positions.certainlyHandled(recent)).isEqualTo(second.get(4));
        // ... and once the events after it are older than Axon's gap timeout the token drops the gap (a wide one
        // as soon as it reads again, as it holds more gaps than Axon's cleaning threshold).
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE domain_event_entry SET time_stamp = '"
                                            + Instant.now().minus(1, ChronoUnit.HOURS) + "'");
        }
        assertThat(tracker.after(recent)).isEmpty();
        TrackingToken old = tracker.tokenAfterCleaning(recent);
        assertThat(Positions.of(old)).isGreaterThan(head);
        // The old gap is dropped; the one the last child's kill left before the new event is recent, and kept.
        assertThat(Positions.certainlyHandled(old)).isEqualTo(head);
    }

    /** Appends {@code count} events of a case in a JVM of its own, each committed, then halts it (a kill -9). */
    private List<Long> appendInChild(String caseId, int count, boolean uncommittedAtKill) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                           KilledWriter.class.getName(), dataDir.toString(), caseId,
                                           String.valueOf(count), String.valueOf(uncommittedAtKill))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(KilledWriter.HALTED);
        String line = output.lines().filter(text -> text.startsWith("positions:")).findFirst().orElseThrow(
                () -> new AssertionError(output));
        return Arrays.stream(line.substring("positions:".length()).trim().split(" ")).map(Long::valueOf).toList();
    }

    /** The child: appends, prints the positions it got, and halts without closing the database. */
    static final class KilledWriter {

        static final int HALTED = 77;

        public static void main(String[] args) throws Exception {
            Path dataDir = Path.of(args[0]);
            StringBuilder positions = new StringBuilder("positions:");
            // Written as the ledger writes: no commit returns before it is in the file.
            DataSource ledger = H2GroupCommit.dataSource(url(dataDir), "sa", "");
            Connection connection = ledger.getConnection();
            for (long position : append(connection, args[1], Integer.parseInt(args[2]))) {
                positions.append(' ').append(position);
            }
            if (Boolean.parseBoolean(args[3])) {
                Connection inFlight = ledger.getConnection();
                inFlight.setAutoCommit(false);
                append(inFlight, args[1], 1);
            }
            System.out.println(positions);
            System.out.flush();
            Runtime.getRuntime().halt(HALTED);
        }
    }

    /** Reads tracked events the way Axon's processors do, from a token. */
    private final class Tracker extends JdbcEventStorageEngine {

        Tracker(ConnectionProvider connections) {
            super(JdbcEventStorageEngine.builder().connectionProvider(connections)
                                        .transactionManager(NoTransactionManager.INSTANCE).schema(eventSchema())
                                        .eventSerializer(JacksonSerializer.defaultSerializer())
                                        .snapshotSerializer(JacksonSerializer.defaultSerializer()));
        }

        List<? extends TrackedEventData<?>> after(TrackingToken token) {
            return fetchTrackedEvents(token, 1000);
        }

        /** The token as the next read starts from it: its gaps cleaned if it holds more than the threshold. */
        TrackingToken tokenAfterCleaning(TrackingToken token) {
            appendPlain();
            List<? extends TrackedEventData<?>> next = fetchTrackedEvents(token, 1000);
            return next.get(next.size() - 1).trackingToken();
        }

        /** One more event (after the last child's kill gap), for the read after the cleaning to hand its token on. */
        private void appendPlain() {
            try (Connection connection = connect()) {
                append(connection, "case-d", 1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private JdbcEngineEvents engineEvents() {
        return new JdbcEngineEvents(connections(), NoTransactionManager.INSTANCE, eventSchema(),
                                    JacksonSerializer.defaultSerializer());
    }

    private ConnectionProvider connections() {
        return this::connect;
    }

    private static EventSchema eventSchema() {
        return EventSchema.builder().eventTable("domain_event_entry").snapshotTable("snapshot_event_entry")
                          .globalIndexColumn("global_index").timestampColumn("time_stamp")
                          .eventIdentifierColumn("event_identifier").aggregateIdentifierColumn("aggregate_identifier")
                          .sequenceNumberColumn("sequence_number").typeColumn("type").payloadTypeColumn("payload_type")
                          .payloadRevisionColumn("payload_revision").payloadColumn("payload")
                          .metaDataColumn("meta_data").build();
    }

    private List<Long> append(String caseId, int count) throws SQLException {
        try (Connection connection = connect()) {
            return append(connection, caseId, count);
        }
    }

    /** Appends events of a case after its last one, each in a transaction of its own; their positions. */
    private static List<Long> append(Connection connection, String caseId, int count) throws SQLException {
        long next;
        try (PreparedStatement last = connection.prepareStatement(
                "SELECT COALESCE(MAX(sequence_number) + 1, 0) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            last.setString(1, caseId);
            try (ResultSet rows = last.executeQuery()) {
                rows.next();
                next = rows.getLong(1);
            }
        }
        List<Long> positions = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                    payload, meta_data, payload_type, time_stamp)
                VALUES (?, ?, 'CaseAggregate', ?, ?, ?, 'test.Event', ?)""",
                                                                    Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, caseId);
                insert.setLong(2, next + i);
                insert.setString(3, caseId + "-" + (next + i));
                insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
                insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
                insert.setString(6, Instant.now().toString());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    positions.add(keys.getLong(1));
                }
                if (!connection.getAutoCommit()) {
                    // The in-flight insert of a killed process stays uncommitted.
                    break;
                }
            }
        }
        return positions;
    }

    private List<Long> positions() throws SQLException {
        List<Long> positions = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT global_index FROM domain_event_entry ORDER BY 1")) {
            while (rows.next()) {
                positions.add(rows.getLong(1));
            }
        }
        return positions;
    }

    private long identityCache() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT identity_cache FROM information_schema.columns
                     WHERE table_name = 'domain_event_entry' AND column_name = 'global_index'""")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void migrate() throws IOException {
        Flyway.configure().dataSource(url(dataDir), "sa", "").locations(locations().toArray(String[]::new)).load()
              .migrate();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(dataDir), "sa", "");
    }

    /** The application's embedded store URL, on a data directory. */
    private static String url(Path dataDir) {
        return configuration().getProperty("spring.datasource.url").replace("${ledger.data-dir}", dataDir.toString());
    }

    /** The application's Flyway locations, for H2. */
    private static List<String> locations() throws IOException {
        return Arrays.stream(configuration().getProperty("spring.flyway.locations").split(","))
                     .map(location -> location.trim().replace("{vendor}", "h2")).toList();
    }

    private static Properties configuration() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        return yaml.getObject();
    }
}
