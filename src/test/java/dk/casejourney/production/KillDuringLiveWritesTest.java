package dk.casejourney.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's promise under kill -9, at process level: the real product runs as a child JVM, 8 HTTP clients
 * open cases (each for a new citizen) and append contacts, the process is killed with SIGKILL at a random
 * moment, restarted on the same store, written to and killed again; at the end every write that was answered
 * 201 is in the ledger exactly once (by its entry id from the Location header), every case's hash chain
 * verifies and every acknowledged case shows its citizen's CPR number (their new key was durable before the
 * answer). On the embedded H2 store and on PostgreSQL.
 */
class KillDuringLiveWritesTest {

    private static final int CLIENTS = 8;
    private static final int KILLS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHEAP_CASEWORKER = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("caseworker");
    private static final String CHEAP_ADMIN = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("admin");
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
            "caseworker:caseworker".getBytes(StandardCharsets.UTF_8));
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString(
            "admin:admin".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dataDir;
    private Process ledger;
    private PostgresSchema schema;
    private ChildOutput output;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Random random = new Random();

    @AfterEach
    void cleanUp() throws Exception {
        if (ledger != null) {
            ledger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void givenTheEmbeddedStore_whenTheProcessIsKilledDuringWrites_thenEveryAcknowledgedWriteIsThereExactlyOnce()
            throws Exception {
        List<String> store = List.of("--ledger.data-dir=" + dataDir);
        killRuns("H2", store, () -> DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir + "/ledger;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", ""));

        // The command line on the same store: no web server (the port is taken, a server could not start), every
        // processing group rebuilds, an unknown one is refused, and the process ends with a status saying so.
        try (ServerSocket taken = new ServerSocket(0)) {
            List<String> command = new ArrayList<>(store);
            command.addAll(List.of("--server.port=" + taken.getLocalPort(), "--rebuild=case-views",
                                   "--rebuild=journey-figures", "--rebuild=no-such-group"));
            Process rebuild = launch(command);
            try {
                assertThat(rebuild.waitFor(300, TimeUnit.SECONDS)).as("the command line ends; " + output).isTrue();
            } finally {
                // A command line that did not end must not outlive the test.
                if (rebuild.isAlive()) {
                    rebuild.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            output.awaitEnd(10_000);
            String printed = output.toString();
            assertThat(rebuild.exitValue()).as(printed).isEqualTo(3);
            assertThat(printed).contains("Rebuilding case-views", "Rebuilding journey-figures", "REFUSED")
                               .doesNotContain("DIFFERENT", "FAILED");
            assertThat(printed.split("EQUAL: rebuilt", -1)).as(printed).hasSize(3);
        }
    }

    @Test
    void givenPostgres_whenTheProcessIsKilledDuringWrites_thenEveryAcknowledgedWriteIsThereExactlyOnce()
            throws Exception {
        schema = PostgresSchema.create("killlive");
        List<String> store = List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + schema.url(),
                                     "--spring.datasource.username=" + PostgresSchema.USER,
                                     "--spring.datasource.password=" + PostgresSchema.PASSWORD,
                                     "--ledger.security.allow-demo-users=true");
        killRuns("PostgreSQL", store, schema::connect);
    }

    private interface Connector {
        Connection connect() throws Exception;
    }

    /** Acknowledged writes of one run: entry id to case id. */
    private void killRuns(String name, List<String> store, Connector connector) throws Exception {
        List<Map<String, String>> runs = new ArrayList<>();
        // Case id to the CPR number of its acknowledged opening, over all runs.
        Map<String, String> citizens = new ConcurrentHashMap<>();
        for (int run = 0; run < KILLS; run++) {
            int port = start(store);
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread client = new Thread(() -> write(port, writing, acknowledged, citizens), "client-" + c);
                client.start();
                clients.add(client);
            }
            // A random moment once contacts are flowing (more answers than the clients' openings): 0.5 to 3 s on.
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acknowledged.size() <= CLIENTS && System.nanoTime() < wait) {
                Thread.sleep(20);
                assertThat(ledger.isAlive()).as("the ledger runs until it is killed; " + output).isTrue();
            }
            Thread.sleep(500 + random.nextInt(2500));
            assertThat(ledger.isAlive()).as("the ledger runs until it is killed; " + output).isTrue();
            // Process.destroyForcibly sends SIGKILL on Unix: no shutdown hook, nothing flushed by the process.
            ledger.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            writing.set(false);
            for (Thread client : clients) {
                client.join(5_000);
            }
            runs.add(Map.copyOf(acknowledged));
        }

        int port = start(store);
        HttpResponse<String> verification = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/admin/ledger/verification"))
                           .header("Authorization", ADMIN).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(verification.statusCode()).isEqualTo(200);
        JsonNode ledgerCheck = JSON.readTree(verification.body());
        // Every acknowledged opening's citizen key survived: the case shows the CPR number it was opened with.
        Map<String, String> unreadable = new HashMap<>();
        for (Map.Entry<String, String> opening : citizens.entrySet()) {
            JsonNode view = caseView(port, opening.getKey(), connector);
            if (!opening.getValue().equals(view.path("cpr").asText(null))) {
                unreadable.put(opening.getKey(), "citizenErased=" + view.path("citizenErased").asText());
            }
        }
        System.out.printf("kill runs on %s: %d acknowledged openings of new citizens, %d unreadable%n", name,
                          citizens.size(), unreadable.size());
        assertThat(citizens).as("new citizens acknowledged").hasSizeGreaterThan(CLIENTS);
        assertThat(unreadable).as("acknowledged cases whose citizen's key was lost").isEmpty();
        ledger.destroy();
        assertThat(ledger.waitFor(60, TimeUnit.SECONDS)).as("graceful stop").isTrue();

        Map<String, Integer> stored = new HashMap<>();
        // The newest positions, for a verification that fails: what the store held around its head.
        Deque<Long> newest = new ArrayDeque<>();
        try (Connection connection = connector.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT global_index, payload FROM domain_event_entry ORDER BY global_index")) {
            while (rows.next()) {
                newest.addLast(rows.getLong(1));
                if (newest.size() > 20) {
                    newest.removeFirst();
                }
                JsonNode payload = JSON.readTree(rows.getBytes(2));
                stored.merge(payload.path("entryId").asText(), 1, Integer::sum);
            }
        }
        for (int run = 0; run < runs.size(); run++) {
            Map<String, String> acknowledged = runs.get(run);
            long found = acknowledged.keySet().stream().filter(stored::containsKey).count();
            long duplicates = acknowledged.keySet().stream().filter(id -> stored.getOrDefault(id, 0) > 1).count();
            System.out.printf("kill run %d on %s: acknowledged %d, found %d, duplicates %d%n", run + 1, name,
                              acknowledged.size(), found, duplicates);
        }
        for (Map<String, String> acknowledged : runs) {
            assertThat(acknowledged).as("writes acknowledged before the kill").hasSizeGreaterThan(CLIENTS);
            Set<String> ids = acknowledged.keySet();
            assertThat(ids).as("every acknowledged entry is in the ledger").allMatch(stored::containsKey);
            assertThat(ids).as("and there exactly once").allMatch(id -> stored.get(id) == 1);
        }
        assertThat(ledgerCheck.path("valid").asBoolean())
                .as(ledgerCheck + "; the store's newest positions after the stop: " + newest).isTrue();
        assertThat(ledgerCheck.path("brokenCases").asLong()).isZero();
    }

    /**
     * One client: opens a case for a new citizen, appends three contacts to it, and again, until told to stop or
     * the server is gone. Every opening is a new citizen, so a new key that must be durable before it is answered.
     */
    private void write(int port, AtomicBoolean writing, Map<String, String> acknowledged,
                       Map<String, String> citizens) {
        String base = "http://127.0.0.1:" + port + "/api/cases";
        try {
            while (writing.get()) {
                String cpr = newCpr();
                HttpResponse<String> opened = post(base, """
                        {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                         "channel":"PHONE","unit":"KBH-KC","occurredAt":"2024-03-04T08:15:00+01:00"}""".formatted(cpr));
                if (opened.statusCode() != 201) {
                    return;
                }
                String caseId = JSON.readTree(opened.body()).path("caseId").asText();
                acknowledged.put(JSON.readTree(opened.body()).path("entryId").asText(caseId), caseId);
                citizens.put(caseId, cpr);
                for (int contacts = 0; contacts < 3 && writing.get(); contacts++) {
                    HttpResponse<String> contact = post(base + "/" + caseId + "/contacts", """
                            {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","purpose":"QUESTION",
                             "startedAt":"2024-03-04T08:15:00+01:00","endedAt":"2024-03-04T08:25:00+01:00"}""");
                    if (contact.statusCode() == 201) {
                        String location = contact.headers().firstValue("Location").orElseThrow();
                        acknowledged.put(location.substring(location.lastIndexOf('/') + 1), caseId);
                    }
                }
            }
        } catch (IOException | InterruptedException stopped) {
            // The process was killed: requests in flight have no answer, and unanswered writes promise nothing.
        }
    }

    /**
     * A CPR number of a citizen born in 1970–1999 (seventh digit 0–3: the 1900s; no check digit, as numbers
     * without one are valid).
     */
    private synchronized String newCpr() {
        return "%02d%02d%02d%04d".formatted(1 + random.nextInt(28), 1 + random.nextInt(12), 70 + random.nextInt(30),
                                           random.nextInt(4_000));
    }

    /**
     * The case as its read model shows it, once the read model has it (it catches up after the restart). If it
     * never does, the failure says whether the case's events are in the ledger (a lost write) or the read model
     * did not get to them (with the read models' state and the ledger's last output lines).
     */
    private JsonNode caseView(int port, String caseId, Connector connector) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> found = get(port, "/api/cases/" + caseId, AUTH);
            if (found.statusCode() == 200) {
                return JSON.readTree(found.body());
            }
            if (System.nanoTime() > deadline) {
                int events;
                try (Connection connection = connector.connect();
                     PreparedStatement statement = connection.prepareStatement(
                             "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
                    statement.setString(1, caseId);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        events = rows.getInt(1);
                    }
                }
                throw new AssertionError("case " + caseId + " (" + events + " events in the ledger) is not in its "
                                                 + "read model after 60 s: " + found.statusCode() + " " + found.body()
                                                 + "; read models: " + get(port, "/api/admin/projections", ADMIN).body()
                                                 + "; the ledger's last output: " + output);
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .header("Authorization", authorization).timeout(Duration.ofSeconds(30)).GET()
                                    .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String uri, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", AUTH)
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    /** Starts the product in a JVM of its own on a free port and waits until it answers. */
    private int start(List<String> store) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1"));
        arguments.addAll(store);
        ledger = launch(arguments);
        Process process = ledger;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the ledger starts; " + output).isTrue();
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                   .timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the ledger did not start within 300 s; " + output);
    }

    /** The product's main class in a JVM of its own, its last output lines kept in {@link #output}. */
    private Process launch(List<String> arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName(), "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                // A killed instance's segments are free again after this, not after Axon's default 10 s.
                "--axon.eventhandling.tokenstore.claim-timeout=2s",
                // Cheap password hashes: at BCrypt's cost 10 sign-in, not storage, would bound the write rate,
                // and with few writes a kill rarely finds one committed but not yet durable.
                "--ledger.security.users.caseworker.password-hash=" + CHEAP_CASEWORKER,
                "--ledger.security.users.admin.password-hash=" + CHEAP_ADMIN));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        output = ChildOutput.follow(process, 200, "ledger-output");
        return process;
    }
}
