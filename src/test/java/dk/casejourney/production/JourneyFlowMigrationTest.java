package dk.casejourney.production;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V150 moves each case's transitions from journey_flow rows into its journey_path rows' gaps, on each store with the
 * same statements. Rows as the previous release wrote them (projections/schema up to V130) must come out with every
 * gap of their level in position order, and nothing left of journey_flow.
 */
class JourneyFlowMigrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void givenFlowRowsOfThePreviousRelease_whenMigrated_thenEachPathHoldsItsGapsInOrder(String store) throws Exception {
        try (Store db = Store.open(store)) {
            flyway(db, "130").migrate();
            JdbcClient jdbc = JdbcClient.create(db.dataSource);
            path(jdbc, "a", "ACTIVITY", "[\"A\",\"B\",\"A\",\"C\"]");
            path(jdbc, "a", "UNIT", "[\"KC\"]");
            path(jdbc, "b", "ACTIVITY", "[\"say \\\"hi\\\", then go\",\"y\"]");
            path(jdbc, "b", "UNIT", "[\"KC\",\"BACK\"]");
            // Written out of order on purpose: the gaps follow the position, not the order of the rows.
            flow(jdbc, "a", "ACTIVITY", 2, "A", "C", 86_400_000L);
            flow(jdbc, "a", "ACTIVITY", 0, "A", "B", 1_000L);
            flow(jdbc, "a", "ACTIVITY", 1, "B", "A", 2_500L);
            flow(jdbc, "b", "ACTIVITY", 0, "say \"hi\", then go", "y", 5L);
            flow(jdbc, "b", "UNIT", 0, "KC", "BACK", 0L);
            // A case computed before V80 has flow rows and no path (V80: none until journey-figures is reset).
            flow(jdbc, "c", "UNIT", 0, "KC", "BACK", 7L);

            flyway(db, "latest").migrate();

            assertThat(jdbc.sql("SELECT case_id, level, gaps FROM journey_path ORDER BY case_id, level")
                           .query().listOfRows())
                    .containsExactly(row("a", "ACTIVITY", "[1000,2500,86400000]"), row("a", "UNIT", "[]"),
                                     row("b", "ACTIVITY", "[5]"), row("b", "UNIT", "[0]"));
            assertThatThrownBy(() -> jdbc.sql("SELECT COUNT(*) FROM journey_flow").query(Long.class).single())
                    .isInstanceOf(DataAccessException.class);
            // Every path written from now on says its gaps.
            assertThatThrownBy(() -> path(jdbc, "d", "UNIT", "[\"KC\"]")).isInstanceOf(DataAccessException.class);
        }
    }

    private static Flyway flyway(Store db, String target) {
        return Flyway.configure().dataSource(db.dataSource)
                     .locations("classpath:db/store", "classpath:db/store-" + db.vendor, "classpath:projections/schema")
                     .target(target).load();
    }

    private static void path(JdbcClient jdbc, String caseId, String level, String json) {
        jdbc.sql("INSERT INTO journey_path (case_id, level, path_hash, first_node, last_node, length, path) "
                         + "VALUES (?, ?, ?, NULL, NULL, 0, ?)")
            .params(caseId, level, "h-" + caseId + level, json).update();
    }

    private static void flow(JdbcClient jdbc, String caseId, String level, int position, String from, String to,
                             long gapMs) {
        jdbc.sql("INSERT INTO journey_flow (case_id, level, position, from_node, to_node, gap_ms) "
                         + "VALUES (?, ?, ?, ?, ?, ?)")
            .params(caseId, level, position, from, to, gapMs).update();
    }

    private static Map<String, Object> row(String caseId, String level, String gaps) {
        return Map.of("case_id", caseId, "level", level, "gaps", gaps);
    }

    /** A fresh in-memory H2 database as the product opens it, or a schema of its own in the test PostgreSQL. */
    private record Store(String vendor, DataSource dataSource, PostgresSchema schema) implements AutoCloseable {

        static Store open(String vendor) throws SQLException {
            if (vendor.equals("h2")) {
                String url = "jdbc:h2:mem:v150-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
                return new Store(vendor, dataSource(url, "sa", ""), null);
            }
            PostgresSchema schema = PostgresSchema.create("v150");
            return new Store(vendor, dataSource(schema.url(), PostgresSchema.USER, PostgresSchema.PASSWORD), schema);
        }

        private static DataSource dataSource(String url, String user, String password) throws SQLException {
            Driver driver = DriverManager.getDriver(url);
            return new SimpleDriverDataSource(driver, url, user, password);
        }

        @Override
        public void close() throws SQLException {
            if (schema != null) {
                schema.close();
            } else {
                JdbcClient.create(dataSource).sql("SHUTDOWN").update();
            }
        }
    }
}
