package dk.casejourney.journey;

import dk.casejourney.common.AxonConfiguration;
import dk.casejourney.production.PostgresSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk batch's one question to the store (CaseCache.storedAmong), on both real databases, over the event table
 * as the ledger's migration creates it: which of its cases the store holds, and on PostgreSQL a plan that probes
 * the index even before the table was ever analysed (as during a first import, when autovacuum has not run yet).
 */
class StoredCasesTest {

    private static final EventSchema SCHEMA = AxonConfiguration.ledgerEventSchema();
    private static final int CASES = 4_000;

    /** The event table as the ledger's migrations create it, then CASES cases of six events each: case-0 to 3999. */
    private static void fill(Connection connection, String url, String user, String password) throws SQLException {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/store").load().migrate();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier, "
                        + "payload, payload_type, time_stamp) VALUES (?, ?, 'CaseAggregate', ?, ?, 'p', 't')")) {
            for (int event = 0; event < CASES * 6; event++) {
                insert.setString(1, "case-" + event / 6);
                insert.setLong(2, event % 6);
                insert.setString(3, UUID.randomUUID().toString());
                insert.setBytes(4, new byte[] {1});
                insert.addBatch();
                if (event % 1_000 == 999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private static List<String> askedFor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("case-" + i * 97);
            ids.add("new-" + i);
        }
        return ids;
    }

    private static void assertStoredAmong(Connection connection) {
        // Handed out the way Spring's provider does, released (not closed) after use.
        SingleConnectionDataSource provider = new SingleConnectionDataSource(connection, true);
        Set<String> stored = CaseCache.storedAmong(provider::getConnection, SCHEMA, askedFor());

        assertThat(stored).hasSize(42) // case-0 .. case-3977 in steps of 97: 42 of the 50 are below 4,000
                          .allMatch(id -> id.startsWith("case-") && Integer.parseInt(id.substring(5)) < CASES)
                          .noneMatch(id -> id.startsWith("new-"));
    }

    @Test
    void givenCasesWithAndWithoutEventsOnH2_whenAskedTogether_thenTheStoredOnesAreNamed() throws Exception {
        // Named and kept open, so that Flyway's connections reach the same in-memory database.
        String url = "jdbc:h2:mem:stored-cases-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            fill(connection, url, "sa", "");
            assertStoredAmong(connection);
        }
    }

    @Test
    void givenAnEventTableNeverAnalysedOnPostgres_whenAskedTogether_thenTheStoredOnesAreNamedByIndexProbes()
            throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("stored");
             Connection connection = DriverManager.getConnection(schema.url(), PostgresSchema.USER,
                                                                 PostgresSchema.PASSWORD)) {
            fill(connection, schema.url(), PostgresSchema.USER, PostgresSchema.PASSWORD);

            assertStoredAmong(connection);
            List<String> plan = new ArrayList<>();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + CaseCache.storedAmongSql(SCHEMA))) {
                explain.setArray(1, connection.createArrayOf("varchar", askedFor().toArray()));
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.add(rows.getString(1));
                    }
                }
            }
            assertThat(String.join("\n", plan)).contains("Index").doesNotContain("Seq Scan on domain_event_entry");
        }
    }
}
