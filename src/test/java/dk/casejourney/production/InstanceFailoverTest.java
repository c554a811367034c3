package dk.casejourney.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import dk.casejourney.common.Instances;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several instances on one PostgreSQL, one of them a JVM of its own killed with SIGKILL (no shutdown hook, no
 * released claim, no deregistration): the survivor processes the dead instance's segments once its heartbeat and
 * its claims have expired (docs/operations.md, "Several instances": claim timeout + a quarter of it +
 * token-claim-interval), and a rebuild the dead instance was running is taken over and ends verified.
 */
class InstanceFailoverTest {

    private static final String CLAIM_TIMEOUT = "2s";
    private static final String[] SHARED = {"ledger.processors.initial-segment-count=4"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString(
            "admin:admin".getBytes(StandardCharsets.UTF_8));
    private static PostgresSchema schema;
    private static ConfigurableApplicationContext survivor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ChildOutput output;
    private Process other;

    @BeforeAll
    static void start() {
        schema = PostgresSchema.create("failover");
        survivor = Ledger.start("postgres", schema, SHARED);
    }

    @AfterEach
    void killOther() throws InterruptedException {
        if (other != null) {
            other.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (survivor != null) {
            survivor.close();
        }
        schema.close();
    }

    @Test
    void givenTwoInstances_whenOneIsKilled_thenTheOtherProcessesItsSegmentsWithinTheDocumentedTime() throws Exception {
        startOther();
        awaitSegmentsSplit();

        other.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        // Events for every segment, in one transaction so the figure below is the failover, not the writing.
        List<CaseCommand> batch = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> batch.addAll(Journeys.journey("after-kill-" + i)));
        survivor.getBean(BulkRecording.class).record("import:after-kill", batch);
        long head = head();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<Integer, EventTrackerStatus> statuses = caseViews().processingStatus();
            assertThat(statuses).hasSize(4);
            statuses.values().forEach(status -> assertThat(status.getCurrentPosition()).hasValue(head));
        });
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        JdbcClient jdbc = survivor.getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single())
                .isEqualTo(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single());
        System.out.printf("InstanceFailoverTest: the survivor processed all 4 segments to the head %.1f s after the"
                                  + " kill (documented bound with claim-timeout %s, token-claim-interval 2s: 4.5 s;"
                                  + " loadavg %s)%n", seconds, CLAIM_TIMEOUT, loadAverage());
    }

    @Test
    void givenARebuildRunByAnInstance_whenThatInstanceIsKilled_thenAnotherTakesItOverToAVerifiedEnd()
            throws Exception {
        List<CaseCommand> batch = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> batch.addAll(Journeys.journey("takeover-" + i)));
        survivor.getBean(BulkRecording.class).record("import:takeover", batch);
        int port = startOther();
        awaitSegmentsSplit();

        HttpResponse<String> started = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                          + "/api/admin/projections/case-views/rebuilds"))
                           .header("Authorization", ADMIN).timeout(Duration.ofSeconds(60))
                           .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode rebuild = JSON.readTree(started.body());
        other.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        String id = rebuild.path("id").asText();
        String killedRunner = rebuild.path("runBy").asText();
        JdbcClient jdbc = survivor.getBean(JdbcClient.class);
        String stepAtKill = jdbc.sql("SELECT step FROM projection_rebuild WHERE rebuild_id = ?").param(id)
                                .query(String.class).single();

        // Read on the survivor, through the same query as its HTTP endpoint and page.
        Map<?, ?> finished = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).until(
                () -> survivorRebuild(id), found -> List.of("DONE", "FAILED").contains(found.get("phase")));
        assertThat(finished.get("error")).as(finished.toString()).isNull();
        assertThat(finished.get("phase")).isEqualTo("DONE");
        assertThat(finished.get("runBy")).isEqualTo(survivor.getBean(Instances.class).nodeId())
                                          .isNotEqualTo(killedRunner);
        assertThat(((Map<?, ?>) finished.get("verification")).get("equal")).as(finished.toString()).isEqualTo(true);
        assertThat(jdbc.sql("SELECT takeovers FROM projection_rebuild WHERE rebuild_id = ?").param(id)
                       .query(Integer.class).single()).isEqualTo(1);
        long head = head();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Map<Integer, EventTrackerStatus> statuses = caseViews().processingStatus();
            assertThat(statuses).hasSize(4);
            statuses.values().forEach(status -> assertThat(status.getCurrentPosition()).hasValue(head));
        });
        System.out.printf("InstanceFailoverTest: rebuild killed at step %s, taken over and done (loadavg %s)%n",
                          stepAtKill, loadAverage());
    }

    private Map<?, ?> survivorRebuild(String id) {
        String port = survivor.getEnvironment().getProperty("local.server.port");
        return org.springframework.web.client.RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeaders(h -> h.setBasicAuth("admin", "admin")).build()
                .get().uri("/api/admin/projections/case-views/rebuilds/{id}", id).retrieve().body(Map.class);
    }

    /** Each instance holds its fair share: two of the four segments. */
    private void awaitSegmentsSplit() {
        JdbcClient jdbc = survivor.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(other.isAlive()).as("the other instance runs; " + output()).isTrue();
            assertThat(caseViews().processingStatus()).hasSize(2);
            assertThat(jdbc.sql("SELECT COUNT(DISTINCT owner) FROM token_entry WHERE processor_name = 'case-views'")
                           .query(Long.class).single()).isEqualTo(2L);
        });
    }

    private long head() {
        return survivor.getBean(JdbcClient.class).sql("SELECT MAX(global_index) FROM domain_event_entry")
                       .query(Long.class).single();
    }

    private static PooledStreamingEventProcessor caseViews() {
        return survivor.getBean(EventProcessingConfiguration.class)
                       .eventProcessor("case-views", PooledStreamingEventProcessor.class).orElseThrow();
    }

    /** The other instance: the product's main class in a JVM of its own on the same schema; its port. */
    private int startOther() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName(), "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + schema.url(), "--spring.datasource.username=" + PostgresSchema.USER,
                "--spring.datasource.password=" + PostgresSchema.PASSWORD,
                "--spring.datasource.hikari.maximum-pool-size=8", "--server.port=" + port,
                "--server.address=127.0.0.1", "--axon.eventhandling.tokenstore.claim-timeout=" + CLAIM_TIMEOUT,
                "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                "--ledger.security.allow-demo-users=true"));
        for (String property : SHARED) {
            command.add("--" + property);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        other = process;
        output = ChildOutput.follow(process, 100, "other-output");
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("the other instance starts; " + output()).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                            .timeout(Duration.ofSeconds(2)).GET().build(),
                                 HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return port;
    }

    private String output() {
        return String.valueOf(output);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
