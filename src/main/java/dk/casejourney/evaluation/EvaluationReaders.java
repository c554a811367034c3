package dk.casejourney.evaluation;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The connections the evaluation's reader threads read the child tables on: a pool of their own. The query bus
 * runs each handler in a transaction that holds one connection of the main pool while it waits for its readers;
 * readers drawing from that same pool could wait for it forever once enough evaluations run at once (every
 * connection held by a request waiting for a reader). With their own pool, readers only ever wait for each other.
 */
final class EvaluationReaders implements AutoCloseable {

    /** As many connections as reader threads: a reader never waits for a connection. */
    static final int READER_THREADS = 4;
    private final NamedParameterJdbcTemplate jdbc;
    private final HikariDataSource pool;

    private EvaluationReaders(NamedParameterJdbcTemplate jdbc, HikariDataSource pool) {
        this.jdbc = jdbc;
        this.pool = pool;
    }

    /** A pool of {@link #READER_THREADS} connections to the ledger's database. */
    static EvaluationReaders pooled(DataSourceProperties dataSource) {
        HikariDataSource pool = dataSource.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName("ledger-evaluation-readers");
        pool.setMaximumPoolSize(READER_THREADS);
        pool.setMinimumIdle(0);
        pool.setReadOnly(true);
        if (pool.getJdbcUrl() != null && pool.getJdbcUrl().startsWith("jdbc:h2:")) {
            // H2 otherwise copies every result of more than 40,000 rows into a temporary file before the first row
            // is returned: the evaluation reads 100,000s of rows once, front to back, and spent half its time there.
            pool.setConnectionInitSql("SET LAZY_QUERY_EXECUTION TRUE");
        }
        return new EvaluationReaders(new NamedParameterJdbcTemplate(pool), pool);
    }

    /** Readers on connections the caller manages (tests without a query bus around the evaluation). */
    static EvaluationReaders on(NamedParameterJdbcTemplate jdbc) {
        return new EvaluationReaders(jdbc, null);
    }

    NamedParameterJdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
