package dk.casejourney.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.journey.api.CaseOpened;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's view of a running ledger over real HTTP: the Prometheus scrape behind sign-in with every
 * metric docs/operations.md lists, readiness that turns DOWN while a read model's processor fails (and UP
 * again when it recovers) while liveness stays UP, and a request's trace id in its events' metadata.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:ledger-operations;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        // Whether the faulty processor stops in error or parks its event as a dead letter, readiness must go DOWN.
        "ledger.operations.max-dead-letters=0"})
@AutoConfigureObservability(tracing = false)
class OperationsHttpTest {

    static final String PROBE = "operations-probe";
    static final AtomicBoolean FAIL = new AtomicBoolean();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    /** A read model that fails on every case opened while {@link #FAIL} is set. */
    @TestConfiguration
    static class FaultyReadModel {
        @Bean
        Probe operationsProbe() {
            return new Probe();
        }
    }

    @ProcessingGroup(PROBE)
    static class Probe {
        @EventHandler
        void on(CaseOpened event) {
            if (FAIL.get()) {
                throw new IllegalStateException("probe read model cannot apply case " + event.caseId());
            }
        }
    }

    @LocalServerPort
    private int port;
    @Autowired
    private EventStore eventStore;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void givenARecordedCase_whenPrometheusIsScraped_thenEveryListedMetricIsThereBehindSignIn() throws Exception {
        String caseId = openCase();
        send("caseworker", "GET", "/api/cases/" + caseId, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("caseworker", "GET", "/api/cases/" + caseId, null)
                .statusCode() == 200);
        send("auditor", "GET", "/api/audit/cases/" + caseId + "/verification", null);
        send("admin", "GET", "/api/admin/ledger/verification", null);

        assertThat(send(null, "GET", "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(send("caseworker", "GET", "/actuator/prometheus", null).statusCode()).isEqualTo(403);
        HttpResponse<String> scrape = send("auditor", "GET", "/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        String metrics = scrape.body();
        List<List<String>> expected = List.of(
                List.of("ledger_commands_allTimer_seconds_bucket", "type=\"OpenCaseCommand\"", "le=\"0.001\""),
                List.of("ledger_commands_successTimer_seconds_count", "type=\"OpenCaseCommand\""),
                List.of("ledger_commands_failureTimer_seconds_count", "type=\"OpenCaseCommand\""),
                List.of("ledger_commands_ingestedCounter_total", "type=\"OpenCaseCommand\""),
                List.of("ledger_queries_allTimer_seconds_bucket", "type=\"FindCaseQuery\"", "le=\"0.001\""),
                List.of("ledger_queries_successTimer_seconds_count", "type=\"FindCaseQuery\""),
                List.of("ledger_events_ingestedCounter_total", "type=\"CaseOpened\""),
                List.of("ledger_events_head", "application=\"case-journey-ledger\""),
                List.of("ledger_processor_position", "processor=\"case-views\""),
                List.of("ledger_processor_lag_events", "processor=\"case-views\""),
                List.of("ledger_processor_lag_seconds", "processor=\"case-views\""),
                List.of("ledger_processor_dead_letters", "processor=\"case-views\""),
                List.of("ledger_processor_segments", "processor=\"case-views\""),
                List.of("ledger_processor_state", "processor=\"case-views\"", "state=\"running\"} 1.0"),
                List.of("ledger_processor_processedCounter_total", "processor=\"journey-figures\""),
                List.of("ledger_processor_allTimer_seconds_bucket", "processor=\"case-views\""),
                List.of("ledger_processor_latency", "processor=\"case-views\""),
                List.of("ledger_imports_running", "} 0.0"),
                List.of("ledger_chain_verifications_total", "result=\"valid\"", "scope=\"case\"} 1.0"),
                List.of("ledger_chain_verifications_total", "result=\"valid\"", "scope=\"ledger\"} 1.0"),
                List.of("ledger_chain_last_verification_broken_cases", "} 0.0"),
                List.of("http_server_requests_seconds_bucket", "status=\"201\"", "uri=\"/api/cases\""),
                List.of("http_server_requests_seconds_count", "status=\"401\""),
                List.of("jvm_memory_used_bytes", "area=\"heap\""),
                List.of("jvm_gc_max_data_size_bytes"),
                List.of("hikaricp_connections_active"));
        List<String> samples = metrics.lines().filter(line -> !line.startsWith("#")).toList();
        assertThat(expected).allSatisfy(sample -> assertThat(samples)
                .as("a sample %s", sample)
                .anyMatch(line -> line.startsWith(sample.get(0) + "{")
                                  && sample.subList(1, sample.size()).stream().allMatch(line::contains)));
    }

    @Test
    void givenAProcessorInError_whenReadinessIsProbed_thenItIsDownUntilTheProcessorRecovers() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> send(null, "GET", "/actuator/health/readiness", null)
                .statusCode() == 200);
        FAIL.set(true);
        try {
            openCase();
            await().atMost(Duration.ofSeconds(30)).until(() -> send(null, "GET", "/actuator/health/readiness", null)
                    .statusCode() == 503);
            HttpResponse<String> readiness = send("admin", "GET", "/actuator/health/readiness", null);
            System.out.println("readiness while " + PROBE + " fails: " + readiness.body());
            assertThat(readiness.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(readiness.body());
            assertThat(body.at("/status").asText()).isEqualTo("DOWN");
            assertThat(body.at("/components/processors/status").asText()).isEqualTo("DOWN");
            JsonNode probe = body.at("/components/processors/details/" + PROBE);
            assertThat(probe.at("/state").asText().equals("ERROR") || probe.at("/deadLetters").asLong() > 0)
                    .as("the probe is in error or parked its event: %s", probe).isTrue();
            assertThat(probe.at("/reason").asText()).isNotEmpty();
            assertThat(body.at("/components/processors/details/case-views/state").asText()).isEqualTo("RUNNING");
            assertThat(body.at("/components/eventStore/status").asText()).isEqualTo("UP");
            // Anonymous probes see the verdict, not the details.
            assertThat(send(null, "GET", "/actuator/health/readiness", null).body()).doesNotContain(PROBE);
            // Liveness is about the JVM: restarting would not cure a read model.
            assertThat(send(null, "GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        } finally {
            FAIL.set(false);
        }
        if (send("admin", "GET", "/actuator/health/readiness", null).body().contains("\"state\":\"ERROR\"")) {
            // The processor retries the same event with a growing pause; once it passes, readiness is UP again.
            await().atMost(Duration.ofSeconds(90)).until(() -> send(null, "GET", "/actuator/health/readiness", null)
                    .statusCode() == 200);
        }
    }

    @Test
    void givenARequestWithAnId_whenItRecordsACase_thenTheIdIsInTheAnswerAndTheEventsMetadata() throws Exception {
        HttpResponse<String> opened = post("caseworker", "/api/cases", openBody(), "ops-trace-0001");
        assertThat(opened.statusCode()).isEqualTo(201);
        assertThat(opened.headers().firstValue("X-Request-Id")).contains("ops-trace-0001");
        String caseId = JSON.readTree(opened.body()).get("caseId").asText();
        DomainEventMessage<?> event = eventStore.readEvents(caseId).next();
        assertThat(event.getMetaData()).containsEntry("traceId", "ops-trace-0001");

        // An id that could carry anything else (here a CPR number) is replaced by one of the ledger's own.
        HttpResponse<String> other = post("caseworker", "/api/cases", openBody(), "2906841357");
        assertThat(other.headers().firstValue("X-Request-Id").orElseThrow()).doesNotContain("2906841357");
        String otherCase = JSON.readTree(other.body()).get("caseId").asText();
        assertThat(eventStore.readEvents(otherCase).next().getMetaData().get("traceId"))
                .isEqualTo(other.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void givenAnImportRequestWithAnId_whenItsBatchesAreRecorded_thenEveryImportedEventCarriesTheId() throws Exception {
        // Enough traces for several batches, recorded by the import's own threads, not the request's.
        StringBuilder xes = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <log xes.version="1.0" xmlns="http://www.xes-standard.org/">""");
        for (int trace = 0; trace < 250; trace++) {
            xes.append("""
                    <trace><string key="concept:name" value="ops-%d"/>
                      <event><string key="concept:name" value="register"/>
                        <date key="time:timestamp" value="2011-10-11T10:00:00.000+02:00"/></event></trace>
                    """.formatted(trace));
        }
        xes.append("</log>");
        String boundary = "ops-import";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ops.xes\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + xes + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> imported = client.send(
                request("admin", "/api/imports").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                                .header("X-Request-Id", "ops-import-0001")
                                                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        var report = JSON.readTree(imported.body());
        String recordedBy = "import:" + report.get("importId").asText();
        assertThat(report.get("casesImported").asLong()).isEqualTo(250);

        List<String> traceIds = new ArrayList<>();
        try (var events = eventStore.openStream(null)) {
            while (events.hasNextAvailable()) {
                var event = events.nextAvailable();
                if (recordedBy.equals(event.getMetaData().get("recordedBy"))) {
                    traceIds.add(String.valueOf(event.getMetaData().get("traceId")));
                }
            }
        }
        assertThat(traceIds).as("every entry the import recorded").hasSize(report.get("entriesRecorded").asInt())
                            .containsOnly("ops-import-0001");
    }

    private String openCase() throws Exception {
        HttpResponse<String> opened = post("caseworker", "/api/cases", openBody(), null);
        assertThat(opened.statusCode()).isEqualTo(201);
        return JSON.readTree(opened.body()).get("caseId").asText();
    }

    private static String openBody() {
        return """
                {"cpr":"0101701234","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"IN_PERSON","unit":"citizen-service-north","occurredAt":"%s"}""".formatted(T0);
    }

    private HttpResponse<String> post(String user, String path, String body, String requestId) throws Exception {
        HttpRequest.Builder request = request(user, path).header("Content-Type", "application/json")
                                                         .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        return client.send(request(user, path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                   : HttpRequest.BodyPublishers.ofString(body)).build(),
                           HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String user, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                                 .timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                                                            .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }
}
