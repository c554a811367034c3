package dk.casejourney.production;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Map;

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
        try (MigrationStore db = MigrationStore.open(store, "v150")) {
            db.flyway("130").migrate();
            JdbcClient jdbc = JdbcClient.create(db.dataSource());
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

            db.flyway("latest").migrate();

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
}
