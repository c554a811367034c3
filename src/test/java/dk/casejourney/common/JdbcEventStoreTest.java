package dk.casejourney.common;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
}
