package dk.casejourney.common;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code kill -9} can leave entries of a transaction that was still open in the file without their undo record:
 * a store takes the maps one after another, and may take a table after the transaction wrote to it but its undo
 * log before (docs/reliability.md, "Durability"). Opened again, such an entry has no owner. Here one is planted as
 * that store would leave it (a row written in an open transaction whose undo log is emptied, then stored, and the
 * file copied while the database is still open), and the copy is opened as the ledger opens its database.
 */
class H2OwnerlessEntriesTest {

    @TempDir
    Path dir;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    private static String url(Path base) {
        return "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0";
    }

    private HikariDataSource pool(Path base) {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(H2GroupCommit.dataSource(url(base), "sa", ""));
        pool.setMaximumPoolSize(8);
        pools.add(pool);
        return pool;
    }

    /** The file as a kill would leave it, with one row of a transaction left open and its undo record lost. */
    private Path killedWithAnOwnerlessRow() throws Exception {
        Path base = dir.resolve("ledger");
        HikariDataSource pool = pool(base);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE entry (id VARCHAR(64) PRIMARY KEY, note VARCHAR(64))");
            s.execute("INSERT INTO entry (id, note) VALUES ('kept', 'committed')");
        }
        try (Connection open = pool.getConnection(); Statement s = open.createStatement()) {
            open.setAutoCommit(false);
            s.executeUpdate("INSERT INTO entry (id, note) VALUES ('ownerless', 'never committed')");
            SessionLocal session = (SessionLocal) open.unwrap(JdbcConnection.class).getSession();
            Transaction transaction = session.getTransaction();
            TransactionStore transactions = session.getDatabase().getStore().getTransactionStore();
            undoLog(transactions, transaction.getId()).clear();
            session.getDatabase().getStore().getMvStore().commit();
            Path copy = dir.resolve("killed");
            Files.copy(dir.resolve("ledger.mv.db"), dir.resolve("killed.mv.db"));
            open.rollback();
            return copy;
        }
    }

    @SuppressWarnings("unchecked")
    private static MVMap<Long, ?> undoLog(TransactionStore transactions, int id) throws ReflectiveOperationException {
        Field logs = TransactionStore.class.getDeclaredField("undoLogs");
        logs.setAccessible(true);
        return ((MVMap<Long, ?>[]) logs.get(transactions))[id];
    }

    private static List<String> ids(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT id FROM entry ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    @Test
    void givenARowWithoutOwnerLeftByAKill_whenTheLedgerOpensTheFile_thenItsKeyCanBeWrittenAgain() throws Exception {
        HikariDataSource reopened = pool(killedWithAnOwnerlessRow());

        try (Connection c = reopened.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO entry (id, note) VALUES ('ownerless', 'written after the restart')");
        }

        try (Connection c = reopened.getConnection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT note FROM entry WHERE id = 'ownerless'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("written after the restart");
        }
    }

    @Test
    void givenARowWithoutOwnerLeftByAKill_whenTheLedgerOpensTheFile_thenNoTransactionReadsIt() throws Exception {
        HikariDataSource reopened = pool(killedWithAnOwnerlessRow());

        // Open transactions take the lowest free numbers: one of these gets the number the dead one had.
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Connection c = reopened.getConnection();
                c.setAutoCommit(false);
                open.add(c);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO entry (id, note) VALUES ('writer-" + i + "', 'open')");
                }
            }
            for (int i = 0; i < open.size(); i++) {
                assertThat(ids(open.get(i))).as("transaction %d", i).containsExactly("kept", "writer-" + i);
            }
        } finally {
            for (Connection c : open) {
                c.rollback();
                c.close();
            }
        }
    }
}
