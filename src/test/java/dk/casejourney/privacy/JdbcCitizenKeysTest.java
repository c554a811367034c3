package dk.casejourney.privacy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The citizens' keys in PostgreSQL (the {@code postgres} and {@code axonserver} profiles), on the product's own
 * table definitions (Flyway's V60), in a schema of this test's own. A case's opening asks for its citizen's key:
 * the statements it costs are counted, since each is a round trip in the opening's transaction.
 */
class JdbcCitizenKeysTest {

    private static final String URL = System.getenv().getOrDefault("LEDGER_TEST_DB_URL",
                                                                    "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("LEDGER_TEST_DB_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("LEDGER_TEST_DB_PASSWORD", "");

    private final String schema = "t_keys_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final AtomicInteger statements = new AtomicInteger();
    private SingleConnectionDataSource dataSource;
    private JdbcClient jdbc;
    private JdbcCitizenKeys keys;

    @BeforeEach
    void createSchema() throws Exception {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        dataSource = new SingleConnectionDataSource(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                                                    USER, PASSWORD, true);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(migration("db/store/V60__citizen_directory_and_wrapped_keys.sql"));
        }
        jdbc = JdbcClient.create(counting(dataSource));
        keys = new JdbcCitizenKeys(jdbc, new KeyWrites.WithTheEvents(jdbc), new KeyEncryptionKeys(Map.of(), null),
                                   Clock.systemUTC(), true);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        dataSource.destroy();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void givenANewCitizen_whenTheirKeyIsAskedTwice_thenOneStatementCreatesItAndOneFindsIt() {
        statements.set(0);
        CitizenKeys.CitizenKey created = keys.citizen("lookup-new");
        int creating = statements.getAndSet(0);
        CitizenKeys.CitizenKey found = keys.citizen("lookup-new");
        int finding = statements.get();

        assertThat(found.pseudonym()).isEqualTo(created.pseudonym());
        assertThat(found.key().keyId()).isEqualTo(created.key().keyId());
        assertThat(found.key().bytes()).isEqualTo(created.key().bytes());
        assertThat(creating).as("look up, enter in the directory and store the key in one").isEqualTo(1);
        assertThat(finding).as("the directory and the key in one").isEqualTo(1);
        assertThat(keys.pseudonym("lookup-new")).contains(created.pseudonym());
        assertThat(jdbc.sql("SELECT count(*) FROM citizen_data_key").query(Long.class).single()).isOne();
    }

    @Test
    void givenADatabaseWithoutDataModifyingWithQueries_whenANewCitizensKeyIsAskedTwice_thenThreeStatementsCreateItAndOneFindsIt() {
        JdbcCitizenKeys portable = new JdbcCitizenKeys(jdbc, new KeyWrites.WithTheEvents(jdbc),
                                                       new KeyEncryptionKeys(Map.of(), null), Clock.systemUTC(), false);
        statements.set(0);
        CitizenKeys.CitizenKey created = portable.citizen("lookup-new");
        int creating = statements.getAndSet(0);
        CitizenKeys.CitizenKey found = portable.citizen("lookup-new");

        assertThat(found.key().keyId()).isEqualTo(created.key().keyId());
        assertThat(creating).as("look up, enter in the directory, store the key").isEqualTo(3);
        assertThat(statements).as("the directory and the key in one").hasValue(1);
        assertThat(keys.citizen("lookup-new").key().keyId()).as("either way, the same rows")
                                                            .isEqualTo(created.key().keyId());
    }

    @Test
    void givenACitizenEnteredByAnotherInstanceWithoutAKeyYet_whenTheirKeyIsAsked_thenTheirPseudonymGetsOne() {
        jdbc.sql("INSERT INTO citizen_directory (lookup, pseudonym, created_at) VALUES (?, ?, ?)")
            .params("lookup-raced", "pseudonym-elsewhere", OffsetDateTime.now()).update();

        CitizenKeys.CitizenKey key = keys.citizen("lookup-raced");

        assertThat(key.pseudonym()).as("the directory's entry wins").isEqualTo("pseudonym-elsewhere");
        assertThat(keys.key(key.key().keyId())).get().isEqualTo(key.key().bytes());
        assertThat(keys.citizen("lookup-raced").key().keyId()).isEqualTo(key.key().keyId());
    }

    @Test
    void givenACitizenWithTwoKeys_whenTheirKeyIsAsked_thenTheOldestIsUsed() {
        CitizenKeys.CitizenKey first = keys.citizen("lookup-two");
        // A second key, as two first uses at the same moment leave: made later, sorted after the first.
        jdbc.sql("INSERT INTO citizen_data_key (key_id, pseudonym, kek_id, wrapped_key, created_at) "
                         + "SELECT ?, pseudonym, kek_id, wrapped_key, created_at + interval '1 second' "
                         + "FROM citizen_data_key WHERE key_id = ?")
            .params(UUID.randomUUID().toString(), first.key().keyId()).update();

        assertThat(keys.citizen("lookup-two").key().keyId()).isEqualTo(first.key().keyId());
    }

    @Test
    void givenADestroyedCitizen_whenTheirLookupIsUsedAgain_thenTheyAreANewPseudonymWithANewKey() {
        CitizenKeys.CitizenKey before = keys.citizen("lookup-erased");
        assertThat(keys.destroy(before.pseudonym())).isEqualTo(1);

        CitizenKeys.CitizenKey after = keys.citizen("lookup-erased");

        assertThat(after.pseudonym()).isNotEqualTo(before.pseudonym());
        assertThat(after.key().keyId()).isNotEqualTo(before.key().keyId());
        assertThat(keys.key(before.key().keyId())).isEmpty();
    }

    @Test
    void givenKeptAndDestroyedKeys_whenAskedWhichAreKept_thenOneStatementAnswersForAllOfThem() {
        List<CitizenKeys.CitizenKey> citizens = IntStream.range(0, 30).mapToObj(n -> keys.citizen("lookup-" + n))
                                                         .toList();
        keys.destroy(citizens.get(3).pseudonym());
        keys.destroy(citizens.get(17).pseudonym());
        List<String> asked = new ArrayList<>(citizens.stream().map(citizen -> citizen.key().keyId()).toList());
        asked.add("never-a-key");
        asked.add(citizens.get(5).key().keyId());

        statements.set(0);
        Set<String> kept = keys.kept(asked);

        assertThat(statements).hasValue(1);
        assertThat(kept).hasSize(28).doesNotContain(citizens.get(3).key().keyId(), citizens.get(17).key().keyId(),
                                                    "never-a-key")
                        .allMatch(keys::exists);
        assertThat(keys.kept(List.of())).isEmpty();
    }

    @Test
    void givenTwoFirstUsesOfACitizenAtOnce_whenTheFirstCommitsWhileTheSecondWaits_thenBothUseTheFirstsPseudonymAndKey()
            throws Exception {
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        SingleConnectionDataSource one = new SingleConnectionDataSource(url, USER, PASSWORD, true);
        SingleConnectionDataSource two = new SingleConnectionDataSource(url, USER, PASSWORD, true);
        java.util.concurrent.ExecutorService second = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            JdbcClient firstJdbc = JdbcClient.create(one);
            JdbcClient secondJdbc = JdbcClient.create(two);
            JdbcCitizenKeys firstKeys = new JdbcCitizenKeys(firstJdbc, new KeyWrites.WithTheEvents(firstJdbc),
                                                            new KeyEncryptionKeys(Map.of(), null), Clock.systemUTC(), true);
            JdbcCitizenKeys secondKeys = new JdbcCitizenKeys(secondJdbc, new KeyWrites.WithTheEvents(secondJdbc),
                                                             new KeyEncryptionKeys(Map.of(), null), Clock.systemUTC(), true);
            org.springframework.transaction.support.TransactionTemplate firstTransaction =
                    new org.springframework.transaction.support.TransactionTemplate(
                            new org.springframework.jdbc.datasource.DataSourceTransactionManager(one));
            java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<CitizenKeys.CitizenKey>> waiting =
                    new java.util.concurrent.atomic.AtomicReference<>();

            CitizenKeys.CitizenKey firstKey = firstTransaction.execute(status -> {
                CitizenKeys.CitizenKey key = firstKeys.citizen("lookup-at-once");
                // The second asks while the first's directory entry is not committed: it must wait for it.
                waiting.set(second.submit(() -> secondKeys.citizen("lookup-at-once")));
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertThat(waiting.get()).as("waiting for the first's entry").isNotDone();
                return key;
            });
            CitizenKeys.CitizenKey secondKey = waiting.get().get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(secondKey.pseudonym()).isEqualTo(firstKey.pseudonym());
            assertThat(secondKey.key().keyId()).isEqualTo(firstKey.key().keyId());
            assertThat(jdbc.sql("SELECT count(*) FROM citizen_directory").query(Long.class).single()).isOne();
            assertThat(jdbc.sql("SELECT count(*) FROM citizen_data_key").query(Long.class).single()).isOne();
        } finally {
            second.shutdownNow();
            one.destroy();
            two.destroy();
        }
    }

    private static String migration(String resource) throws IOException {
        try (InputStream in = JdbcCitizenKeysTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The data source, counting the statements prepared on its connections. */
    private DataSource counting(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class}, (proxy, method, arguments) -> {
                    Object result = invoke(target, method, arguments);
                    if (result instanceof Connection connection) {
                        return Proxy.newProxyInstance(
                                Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                                (connectionProxy, call, callArguments) -> {
                                    if (call.getName().startsWith("prepare")
                                            || call.getName().equals("createStatement")) {
                                        statements.incrementAndGet();
                                    }
                                    return invoke(connection, call, callArguments);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments)
            throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
