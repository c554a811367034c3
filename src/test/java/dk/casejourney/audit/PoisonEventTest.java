package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events a projection cannot handle are parked in Axon's dead-letter queue and every later case is still
 * processed: an event whose payload cannot be read (both projections fail in the handler), and an opening with
 * a business time no calendar can measure (journey-figures fails only when it computes the case's figures, at
 * its batch's commit). The failures are visible per processor, can be inspected and retried, and every
 * processing group can still be rebuilt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoisonEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNREADABLE = "poison-unreadable";
    private static final String FAR_PAST = "poison-far-past";

    @TempDir
    static Path dataDir;
    private ConfigurableApplicationContext app;
    private String base;
    private JdbcClient jdbc;
    private final HttpClient http = HttpClient.newHttpClient();
    private String before;
    private String after;

    private record Answer(int status, String contentType, JsonNode body) {
    }

    @BeforeAll
    void start() {
        app = new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off");
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
        jdbc = app.getBean(JdbcClient.class);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private Answer send(String method, String path, String body, String user) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Basic " + credentials)
                           .header("Content-Type", "application/json")
                           .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                   : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                          response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    private String open() throws Exception {
        Answer opened = send("POST", "/api/cases", """
                {"cpr":"0101701234","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                 "channel":"PHONE","unit":"KBH-KC","occurredAt":"2024-03-04T08:15:00+01:00"}""", "caseworker");
        assertThat(opened.status()).as(String.valueOf(opened.body())).isEqualTo(201);
        return opened.body().get("caseId").asText();
    }

    /** Stores an event as if it had been recorded earlier: a copy of a real opening, changed by the caller. */
    private void storeOpening(String caseId, java.util.function.Consumer<ObjectNode> change, boolean readable)
            throws Exception {
        Map<String, Object> model = jdbc.sql("""
                SELECT payload, payload_revision, meta_data, payload_type FROM domain_event_entry
                WHERE aggregate_identifier = ? AND sequence_number = 0""").param(before).query().singleRow();
        ObjectNode payload = (ObjectNode) JSON.readTree((byte[]) model.get("payload"));
        payload.put("caseId", caseId);
        change.accept(payload);
        byte[] bytes = readable ? JSON.writeValueAsBytes(payload)
                : "{\"caseId\":\"poison-unreadable\",\"occurredAt\":".getBytes(StandardCharsets.UTF_8);
        jdbc.sql("""
                INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                    meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, 0, 'CaseAggregate', ?, ?, ?, ?, ?, ?)""")
            .params(caseId, UUID.randomUUID().toString(), model.get("meta_data"), bytes,
                    model.get("payload_revision"), model.get("payload_type"), Instant.now().toString())
            .update();
    }

    private JsonNode projection(String name) throws Exception {
        for (JsonNode projection : send("GET", "/api/admin/projections", null, "admin").body().path("projections")) {
            if (projection.path("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    @Test
    @Order(1)
    void givenEventsAProjectionCannotHandle_whenLaterCasesArrive_thenTheyAreProcessedAndTheFailuresParkedVisibly()
            throws Exception {
        before = open();
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/api/cases/" + before + "/journey", null,
                                                               "caseworker").status() == 200);
        storeOpening(UNREADABLE, payload -> { }, false);
        storeOpening(FAR_PAST, payload -> payload.put("occurredAt", "-999999999-01-01T00:00:00Z"), true);
        after = open();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(send("GET", "/api/cases/" + after, null, "caseworker").status()).isEqualTo(200);
            assertThat(send("GET", "/api/cases/" + after + "/journey", null, "caseworker").status()).isEqualTo(200);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode figures = projection("journey-figures");
            assertThat(figures.path("deadLetters").path("cases").asLong()).isEqualTo(2);
            assertThat(figures.path("state").asText()).isEqualTo("RUNNING");
            assertThat(figures.path("lag").asLong(-1)).isZero();
            JsonNode views = projection("case-views");
            assertThat(views.path("deadLetters").path("cases").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(views.path("deadLetters").path("firstError").asText()).isNotBlank();
        });

        Answer parked = send("GET", "/api/admin/projections/journey-figures/dead-letters", null, "admin");
        assertThat(parked.status()).isEqualTo(200);
        assertThat(parked.body().path("parked").findValuesAsText("caseId"))
                .containsExactlyInAnyOrder(UNREADABLE, FAR_PAST);
        parked.body().path("parked").forEach(c -> assertThat(c.path("letters").get(0).path("cause").asText())
                .isNotBlank());
    }

    @Test
    @Order(2)
    void givenParkedEvents_whenRetriedWhileStillFailing_thenTheyStayParkedAndUnknownGroupsAreRefused()
            throws Exception {
        Answer retry = send("POST", "/api/admin/projections/journey-figures/dead-letters/retries", null, "admin");
        assertThat(retry.status()).as(String.valueOf(retry.body())).isEqualTo(200);
        assertThat(retry.body().path("casesRetried").asInt()).isEqualTo(2);
        assertThat(retry.body().path("lettersLeft").asLong()).isEqualTo(2);

        Answer unknown = send("GET", "/api/admin/projections/no-such-group/dead-letters", null, "admin");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        Answer unknownRetry = send("POST", "/api/admin/projections/no-such-group/dead-letters/retries", null, "admin");
        assertThat(unknownRetry.status()).isEqualTo(404);
        assertThat(unknownRetry.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(3)
    void givenParkedEvents_whenEveryProcessingGroupIsRebuilt_thenEachFinishesAndVerifiesEqual() throws Exception {
        for (String group : new String[]{"case-views", "journey-figures"}) {
            Answer started = send("POST", "/api/admin/projections/" + group + "/rebuilds", null, "admin");
            assertThat(started.status()).as(group + " " + started.body()).isEqualTo(202);
            String id = started.body().path("id").asText();
            JsonNode done = await().atMost(Duration.ofSeconds(60)).until(
                    () -> send("GET", "/api/admin/projections/" + group + "/rebuilds/" + id, null, "admin").body(),
                    now -> now.path("phase").asText().matches("DONE|FAILED"));
            assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("DONE");
            assertThat(done.path("verification").path("equal").asBoolean()).as(done.toString()).isTrue();
        }
        // The rebuilt projections parked the same events again, once each.
        assertThat(projection("journey-figures").path("deadLetters").path("count").asLong()).isEqualTo(2);
    }
}
