package dk.casejourney.production;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in the test PostgreSQL for one test class, so runs (and engineers) do not see each
 * other's rows. Server and database come from LEDGER_TEST_DB_URL (default the CI database at 127.0.0.1).
 */
public final class PostgresSchema implements AutoCloseable {

    static final String BASE_URL = System.getenv().getOrDefault("LEDGER_TEST_DB_URL",
                                                                "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("LEDGER_TEST_DB_USER", "postgres");
    public static final String PASSWORD = System.getenv().getOrDefault("LEDGER_TEST_DB_PASSWORD", "");

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    public static PostgresSchema create(String purpose) {
        String name = "t_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection connection = connect(BASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed at " + BASE_URL + " (user " + USER
                                                    + "); start it or set LEDGER_TEST_DB_URL", e);
        }
        return new PostgresSchema(name);
    }

    String name() {
        return name;
    }

    /** The JDBC URL whose connections work in this schema (Flyway creates its tables there). */
    public String url() {
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    Connection connect() throws SQLException {
        return connect(url());
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = connect(BASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
