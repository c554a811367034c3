package dk.casejourney.privacy;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Function;

/**
 * Where {@link JdbcCitizenKeys} writes keys. Beside a JDBC event store: in the command's own transaction, so keys
 * and events commit or roll back together. Beside Axon Server, which stores a command's events before the
 * database transaction commits: in a transaction of its own on a small pool of its own, committed before the
 * events are stored, so that no event can be seen before its key (a projection took such a case for an erased
 * citizen's) and no erasure event before the keys are gone. A pool of its own rather than a second connection
 * from the main pool: command threads holding the main pool's connections can never starve it. A command that
 * fails after its key was committed leaves a key that sealed nothing it recorded; the citizen's next case
 * uses it, and an erasure destroys it with the others.
 */
sealed interface KeyWrites extends AutoCloseable {

    <T> T inTransaction(Function<JdbcClient, T> work);

    @Override
    default void close() {
    }

    /** With the command's transaction. */
    record WithTheEvents(JdbcClient jdbc) implements KeyWrites {
        @Override
        public <T> T inTransaction(Function<JdbcClient, T> work) {
            return work.apply(jdbc);
        }
    }

    /** Committed on their own, before the command's events are stored. */
    final class BeforeTheEvents implements KeyWrites {

        private final HikariDataSource pool;
        private final JdbcClient jdbc;
        private final TransactionTemplate transactions;

        BeforeTheEvents(HikariDataSource pool) {
            this.pool = pool;
            this.jdbc = JdbcClient.create(pool);
            this.transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        }

        @Override
        public <T> T inTransaction(Function<JdbcClient, T> work) {
            return transactions.execute(status -> work.apply(jdbc));
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
