package dk.casejourney.common;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a {@code kill -9} leaves is the database file as it is: each test copies the file right after a commit
 * returned and opens the copy. H2's background writer is held off (a write delay of an hour), so whatever the copy
 * holds was written by the commit itself.
 */
class H2GroupCommitTest {

    @TempDir
    Path dir;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=3600000";
    }

    private DataSource pool(DataSource connections) throws SQLException {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(connections);
        pool.setMaximumPoolSize(8);
        pools.add(pool);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS entry (id VARCHAR(64) PRIMARY KEY)");
        }
        return pool;
    }

    /** The ids in a copy of the database file taken now. */
    private List<String> inTheFile() throws Exception {
        Path copy = dir.resolve("copy-" + UUID.randomUUID());
        Files.copy(dir.resolve("ledger.mv.db"), copy.resolveSibling(copy.getFileName() + ".mv.db"));
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy, "sa", "");
             Statement s = c.createStatement()) {
            if (!c.getMetaData().getTables(null, null, "ENTRY", null).next()) {
                return ids;
            }
            try (ResultSet rows = s.executeQuery("SELECT id FROM entry")) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static void insertInTransaction(DataSource pool, String id) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO entry (id) VALUES (?)")) {
                insert.setString(1, id);
                insert.executeUpdate();
            }
            c.commit();
        }
    }

    @Test
    void givenPlainH2WithAWriteDelay_whenATransactionCommits_thenTheCopyOfTheFileLacksIt() throws Exception {
        // The check below can fail: this is H2's own behaviour that the group commit exists for.
        JdbcDataSource plain = new JdbcDataSource();
        plain.setURL(url());
        plain.setUser("sa");
        DataSource pool = pool(plain);

        insertInTransaction(pool, "acknowledged");

        assertThat(inTheFile()).doesNotContain("acknowledged");
    }

    @Test
    void givenGroupCommit_whenATransactionCommits_thenItIsInTheFileBeforeCommitReturns() throws Exception {
        DataSource pool = pool(H2GroupCommit.dataSource(url(), "sa", ""));

        insertInTransaction(pool, "acknowledged");

        assertThat(inTheFile()).containsExactly("acknowledged");
    }

    @Test
    void givenGroupCommit_whenStatementsRunInAutoCommitMode_thenEachIsInTheFileWhenItReturns() throws Exception {
        DataSource pool = pool(H2GroupCommit.dataSource(url(), "sa", ""));

        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO entry (id) VALUES ('single')");
            assertThat(inTheFile()).containsExactly("single");

            try (PreparedStatement batch = c.prepareStatement("INSERT INTO entry (id) VALUES (?)")) {
                batch.setString(1, "batch-1");
                batch.addBatch();
                batch.setString(1, "batch-2");
                batch.addBatch();
                batch.executeBatch();
            }
            assertThat(inTheFile()).containsExactlyInAnyOrder("single", "batch-1", "batch-2");
        }
    }

    @Test
    void givenGroupCommit_whenATransactionEndsBySwitchingAutoCommitOn_thenItIsInTheFile() throws Exception {
        DataSource pool = pool(H2GroupCommit.dataSource(url(), "sa", ""));

        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO entry (id) VALUES ('committed-by-setAutoCommit')");
            }
            c.setAutoCommit(true);
        }

        assertThat(inTheFile()).containsExactly("committed-by-setAutoCommit");
    }

    @Test
    void givenOneWriter_whenCommitsFollowEachOther_thenEachIsAlreadyInTheFile() throws Exception {
        DataSource pool = pool(H2GroupCommit.dataSource(url(), "sa", ""));
        List<String> missing = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            insertInTransaction(pool, "n" + n);
            if (!inTheFile().contains("n" + n)) {
                missing.add("n" + n);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void givenEightWritersCommittingAtOnce_whenEachCommitReturns_thenEachIsAlreadyInTheFile() throws Exception {
        DataSource pool = pool(H2GroupCommit.dataSource(url(), "sa", ""));
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<String>>> work = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                int w = writer;
                work.add(() -> {
                    List<String> missing = new ArrayList<>();
                    for (int n = 0; n < 5; n++) {
                        String id = "w" + w + "-" + n;
                        insertInTransaction(pool, id);
                        if (!inTheFile().contains(id)) {
                            missing.add(id);
                        }
                    }
                    return missing;
                });
            }
            List<String> missing = new ArrayList<>();
            for (Future<List<String>> result : writers.invokeAll(work)) {
                missing.addAll(result.get());
            }
            assertThat(missing).isEmpty();
            assertThat(inTheFile()).hasSize(40);
        } finally {
            writers.shutdownNow();
        }
    }
}
