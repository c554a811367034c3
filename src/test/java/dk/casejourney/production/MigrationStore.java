package dk.casejourney.production;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A store to migrate step by step, for tests of a migration against rows an earlier release wrote: a fresh in-memory
 * H2 database as the product opens it, or a schema of its own in the test PostgreSQL.
 */
public record MigrationStore(String vendor, DataSource dataSource, PostgresSchema schema) implements AutoCloseable {

    /** @param vendor "h2" or "postgresql", as Flyway names the store's own migrations (db/store-{vendor}) */
    public static MigrationStore open(String vendor, String purpose) throws SQLException {
        if (vendor.equals("h2")) {
            String url = "jdbc:h2:mem:" + purpose + "-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
            return new MigrationStore(vendor, dataSource(url, "sa", ""), null);
        }
        PostgresSchema schema = PostgresSchema.create(purpose);
        return new MigrationStore(vendor, dataSource(schema.url(), PostgresSchema.USER, PostgresSchema.PASSWORD),
                                  schema);
    }

    /** The product's migrations (store and read models) up to {@code target}: a version, or "latest". */
    public Flyway flyway(String target) {
        return Flyway.configure().dataSource(dataSource)
                     .locations("classpath:db/store", "classpath:db/store-" + vendor, "classpath:projections/schema")
                     .target(target).load();
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
