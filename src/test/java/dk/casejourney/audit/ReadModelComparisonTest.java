package dk.casejourney.audit;

import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.common.ReadModel;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The before/after comparison of a rebuild, on a plain in-memory H2 database in PostgreSQL mode. */
class ReadModelComparisonTest {

    private JdbcTemplate jdbc;
    private ReadModelComparison comparison;
    private final ReadModel model = readModel("test", new ReadModel.Table("entry", List.of("case_id", "entry_id"),
                                                                          "case_id"));

    @BeforeEach
    void database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE rebuild_excluded_case (rebuild_id VARCHAR(64), case_id VARCHAR(255))");
        jdbc.execute("""
                     CREATE TABLE entry (case_id VARCHAR(64), entry_id VARCHAR(64), unit VARCHAR(20),
                                         at TIMESTAMP WITH TIME ZONE, PRIMARY KEY (case_id, entry_id))""");
        for (int c = 1; c <= 3; c++) {
            for (int e = 1; e <= 2; e++) {
                jdbc.update("INSERT INTO entry VALUES (?, ?, ?, TIMESTAMP WITH TIME ZONE '2024-03-04 08:00:00+00')",
                            "c" + c, "e" + e, "KC");
            }
        }
        comparison = new ReadModelComparison(jdbc);
    }

    /** What a rebuild does to the table: empty it and write the rows again, here in another order. */
    private void rebuild() {
        List<java.util.Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM entry ORDER BY case_id DESC");
        jdbc.update("DELETE FROM entry");
        rows.forEach(row -> jdbc.update("INSERT INTO entry VALUES (?, ?, ?, ?)", row.get("case_id"),
                                        row.get("entry_id"), row.get("unit"), row.get("at")));
    }

    @Test
    void givenAnIdenticalRebuild_whenCompared_thenEqualWithEqualDigests() {
        comparison.copy(model);
        rebuild();

        Rebuild.Verification verification = comparison.compare(model, "r1");

        assertThat(verification.equal()).isTrue();
        Rebuild.TableComparison table = verification.tables().get(0);
        assertThat(table.rowsBefore()).isEqualTo(6);
        assertThat(table.rowsAfter()).isEqualTo(6);
        assertThat(table.digestAfter()).isEqualTo(table.digestBefore());
        assertThat(table.differences()).isEmpty();
    }

    @Test
    void givenAChangedAMissingAndAnExtraRow_whenCompared_thenTheDifferencesAreNamedByKey() {
        comparison.copy(model);
        rebuild();
        jdbc.update("UPDATE entry SET unit = 'BS' WHERE case_id = 'c1' AND entry_id = 'e2'");
        jdbc.update("DELETE FROM entry WHERE case_id = 'c2' AND entry_id = 'e1'");
        jdbc.update("INSERT INTO entry VALUES ('c3', 'e3', 'KC', TIMESTAMP WITH TIME ZONE '2024-03-04 08:00:00+00')");

        Rebuild.Verification verification = comparison.compare(model, "r1");

        assertThat(verification.equal()).isFalse();
        Rebuild.TableComparison table = verification.tables().get(0);
        assertThat(table.digestAfter()).isNotEqualTo(table.digestBefore());
        assertThat(table.differences()).containsExactly(
                new Rebuild.Difference("case_id=c1, entry_id=e2", "CHANGED"),
                new Rebuild.Difference("case_id=c2, entry_id=e1", "MISSING"),
                new Rebuild.Difference("case_id=c3, entry_id=e3", "EXTRA"));
    }

    @Test
    void givenACaseThatReceivedEventsDuringTheRebuild_whenExcluded_thenItsRowsDoNotCount() {
        comparison.copy(model);
        rebuild();
        jdbc.update("INSERT INTO entry VALUES ('c3', 'e3', 'KC', TIMESTAMP WITH TIME ZONE '2024-03-05 08:00:00+00')");
        comparison.exclude("r1", List.of("c3"));

        Rebuild.Verification verification = comparison.compare(model, "r1");

        assertThat(verification.equal()).isTrue();
        assertThat(verification.excludedCases()).isEqualTo(1);
        assertThat(verification.tables().get(0).rowsAfter()).isEqualTo(4);
        assertThat(comparison.compare(model, "another-rebuild").equal()).isFalse();
    }

    /** A table without a key: the database returns its rows in the order they were written. */
    private final ReadModel loose = readModel("loose", new ReadModel.Table("loose", List.of("case_id", "n"), "case_id"));

    private static ReadModel readModel(String group, ReadModel.Table table) {
        return new ReadModel() {
            @Override
            public String processingGroup() {
                return group;
            }

            @Override
            public List<Table> tables() {
                return List.of(table);
            }

            @Override
            public void empty() {
                throw new UnsupportedOperationException("the comparison never empties a read model");
            }
        };
    }

    /** The loose table holds {@code before}, is copied, then holds {@code after} and is compared with the copy. */
    private Rebuild.Verification looseRebuild(List<String> before, List<String> after) {
        jdbc.execute("CREATE TABLE loose (case_id VARCHAR(64), n INTEGER)");
        writeLoose(before);
        comparison.copy(loose);
        writeLoose(after);
        return comparison.compare(loose, "r1");
    }

    private void writeLoose(List<String> rows) {
        jdbc.update("DELETE FROM loose");
        for (String row : rows) {
            jdbc.update("INSERT INTO loose VALUES (?, ?)", row.substring(0, 2), Integer.parseInt(row.substring(3)));
        }
    }

    @Test
    void givenTheSameRowsWrittenInAnotherOrder_whenCompared_thenEqual() {
        Rebuild.Verification verification = looseRebuild(List.of("c1 1", "c2 2", "c3 3", "c1 4"),
                                                         List.of("c1 4", "c3 3", "c1 1", "c2 2"));

        assertThat(jdbc.queryForList("SELECT n FROM loose", Integer.class)).as("read as written")
                                                                           .containsExactly(4, 3, 1, 2);
        assertThat(verification.equal()).isTrue();
    }

    @Test
    void givenPairsOfEqualRowsReplacedByOtherPairs_whenCompared_thenDifferent() {
        // A digest that combined the rows' digests by XOR (order-free, but pairs cancel out) would call these equal.
        Rebuild.Verification verification = looseRebuild(List.of("c1 1", "c1 1", "c2 2", "c2 2"),
                                                         List.of("c3 3", "c3 3", "c1 4", "c1 4"));

        assertThat(verification.equal()).isFalse();
        Rebuild.TableComparison table = verification.tables().get(0);
        assertThat(table.rowsAfter()).isEqualTo(4);
        assertThat(table.digestAfter()).isNotEqualTo(table.digestBefore());
    }
}
