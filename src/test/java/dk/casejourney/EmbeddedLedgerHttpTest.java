package dk.casejourney;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product as a user meets it: the embedded default started for real, a journey recorded over HTTP,
 * every kind of bad input refused with nothing written, and all of it still there after a restart.
 */
class EmbeddedLedgerHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "0101701234";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;
    private ConfigurableApplicationContext app;
    private String base;

    private void start() {
        app = new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off");
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Answer post(String path, String json, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                                                 .header("Content-Type", "application/json")
                                                 .header("Authorization", basic("caseworker"))
                                                 .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private Answer post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, null);
    }

    private Answer get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                                         .header("Authorization", basic("caseworker")).GET().build();
        return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> response) throws IOException {
        JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), body, response);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    private long storedEvents() {
        return app.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
    }

    private JsonNode caseAtVersion(String caseId, long version) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(
                () -> get("/api/cases/" + caseId).body(),
                body -> body != null && body.path("version").asLong(-1) == version);
    }

    /** Posts a bad request and checks the problem names the field and nothing reached the ledger. */
    private void refused(String path, String json, int status, String field) throws Exception {
        long before = storedEvents();
        Answer answer = post(path, json);
        assertThat(answer.status()).as(path + " " + json).isEqualTo(status);
        assertThat(answer.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body().path("errors").findValuesAsText("field")).as(answer.body().toString()).contains(field);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void journeyIsRecordedRefusesBadInputAndSurvivesARestart() throws Exception {
        start();
        String opening = """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                 "channel":"PHONE","unit":"KBH-KC","occurredAt":"2024-03-04T08:15:00+01:00"}""".formatted(CPR);
        Answer opened = post("/api/cases", opening, "open-1");
        assertThat(opened.status()).isEqualTo(201);
        String caseId = opened.body().get("caseId").asText();
        assertThat(opened.raw().headers().firstValue("Location")).hasValue("/api/cases/" + caseId);

        // A retry with the same key records nothing and answers the same case and entry.
        Answer retried = post("/api/cases", opening, "open-1");
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.body()).isEqualTo(opened.body());
        assertThat(storedEvents()).isEqualTo(1);
        assertThat(post("/api/cases", opening.replace("ELDERLY", "YOUTH"), "open-1").status()).isEqualTo(422);

        String c = "/api/cases/" + caseId;
        Answer contact = post(c + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","staffId":"cc-17","purpose":"APPLICATION",
                 "queuedAt":"2024-03-04T08:10:00+01:00","startedAt":"2024-03-04T08:15:00+01:00",
                 "endedAt":"2024-03-04T08:25:00+01:00"}""", "contact-1");
        assertThat(contact.status()).isEqualTo(201);
        assertThat(post(c + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","staffId":"cc-17","purpose":"APPLICATION",
                 "queuedAt":"2024-03-04T08:10:00+01:00","startedAt":"2024-03-04T08:15:00+01:00",
                 "endedAt":"2024-03-04T08:25:00+01:00"}""", "contact-1").body()).isEqualTo(contact.body());
        String contactLocation = contact.raw().headers().firstValue("Location").orElseThrow();
        assertThat(await().atMost(Duration.ofSeconds(10)).until(() -> get(contactLocation), a -> a.status() == 200)
                          .body().path("type").asText()).isEqualTo("ContactRecorded");
        assertThat(post(c + "/handovers", """
                {"fromUnit":"KBH-KC","toUnit":"BS-NORD","reason":"NEEDS_EXPERTISE",
                 "occurredAt":"2024-03-04T08:30:00+01:00"}""").status()).isEqualTo(201);
        Answer request = post(c + "/information-requests", """
                {"informationType":"INCOME","dueDate":"2024-03-11","unit":"BS-NORD",
                 "occurredAt":"2024-03-04T10:30:00+01:00"}""");
        assertThat(request.status()).isEqualTo(201);
        assertThat(post(c + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"BS-NORD",
                 "occurredAt":"2024-03-06T09:00:00+01:00"}""").status()).isEqualTo(201);
        Answer volunteered = post(c + "/information", """
                {"informationType":"ADDRESS","channel":"EMAIL","unit":"BS-NORD",
                 "occurredAt":"2024-03-06T09:05:00+01:00"}""");
        assertThat(post(c + "/handovers", """
                {"fromUnit":"BS-NORD","toUnit":"BACK-HB","reason":"AUTHORITY_ELSEWHERE",
                 "occurredAt":"2024-03-06T11:00:00+01:00"}""").status()).isEqualTo(201);
        assertThat(post(c + "/work", """
                {"unit":"BACK-HB","staffId":"bo-3","activity":"assess income","startedAt":"2024-03-07T09:00:00+01:00",
                 "endedAt":"2024-03-07T09:40:00+01:00"}""").status()).isEqualTo(201);
        assertThat(post(c + "/decisions", """
                {"outcome":"GRANTED","unit":"BACK-HB","occurredAt":"2024-03-07T10:00:00+01:00"}""").status())
                .isEqualTo(201);
        assertThat(post(c + "/handovers", """
                {"fromUnit":"BACK-HB","toUnit":"BS-NORD","reason":"OTHER","note":"inform the citizen",
                 "occurredAt":"2024-03-07T10:05:00+01:00"}""").status()).isEqualTo(201);
        JsonNode beforeResolution = caseAtVersion(caseId, 9);
        assertThat(beforeResolution.path("holder").path("unit").asText()).isEqualTo("BS-NORD");
        assertThat(beforeResolution.path("waitingFor").asText()).isEqualTo("MUNICIPALITY");
        assertThat(beforeResolution.path("informationProvided").findValuesAsText("informationType"))
                .containsExactly("INCOME", "ADDRESS");

        // Every kind of bad input: a precise problem naming the field, and nothing recorded.
        refused("/api/cases/no-such-case/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","purpose":"QUESTION",
                 "startedAt":"2024-03-04T08:15:00+01:00","endedAt":"2024-03-04T08:25:00+01:00"}""", 404, "caseId");
        refused(c + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","purpose":"QUESTION",
                 "startedAt":"2024-03-08T08:15:00+01:00","endedAt":"2024-03-08T08:05:00+01:00"}""", 400, "endedAt");
        refused(c + "/handovers", """
                {"fromUnit":"BS-NORD","toUnit":"BS-NORD","reason":"OTHER","occurredAt":"2024-03-08T08:00:00+01:00"}""",
                409, "toUnit");
        refused(c + "/handovers", """
                {"fromUnit":"KBH-KC","toUnit":"BACK-HB","reason":"OTHER","occurredAt":"2024-03-08T08:00:00+01:00"}""",
                409, "fromUnit");
        refused(c + "/decisions", """
                {"outcome":"GRANTED","unit":"BACK-HB","occurredAt":"2099-01-01T10:00:00+01:00"}""", 400, "occurredAt");
        refused(c + "/contacts", """
                {"channel":"FAX","direction":"INBOUND","unit":"KBH-KC","purpose":"QUESTION",
                 "startedAt":"2024-03-08T08:15:00+01:00","endedAt":"2024-03-08T08:25:00+01:00"}""", 400, "channel");
        refused("/api/cases", opening.replace(CPR, "3102701234"), 400, "cpr");
        refused("/api/cases", opening.replace(CPR, "01017012"), 400, "cpr");
        refused(c + "/decisions", "{\"outcome\":\"GRANTED\", \"unit\":", 400, "body");
        refused(c + "/decisions", "{\"outcome\":\"GRANTED\"}", 400, "occurredAt");
        refused(c + "/decisions", """
                {"outcome":"GRANTED","unit":"BACK-HB","occurredAt":"2024-03-08T10:00:00","colour":"red"}""",
                400, "occurredAt");
        refused(c + "/decisions", """
                {"outcome":"GRANTED","unit":"BACK-HB","occurredAt":"2024-03-08T10:00:00+01:00","colour":"red"}""",
                400, "colour");
        refused(c + "/work", "{\"unit\":\"BACK-HB\",\"activity\":\"" + "x".repeat(70_000) + "\"}", 413, "body");

        assertThat(post(c + "/resolution", """
                {"unit":"BS-NORD","occurredAt":"2024-03-07T11:00:00+01:00"}""").status()).isEqualTo(201);
        refused(c + "/decisions", """
                {"outcome":"GRANTED","unit":"BACK-HB","occurredAt":"2024-03-08T10:00:00+01:00"}""", 409, "caseId");
        assertThat(post(c + "/satisfaction", """
                {"score":4,"channel":"SELF_SERVICE","occurredAt":"2024-03-08T10:00:00+01:00"}""").status())
                .isEqualTo(201);
        assertThat(post(c + "/corrections", """
                {"correctedEntryId":"%s","reason":"the call ended later","changes":{"endedAt":"2024-03-04T08:35:00+01:00"},
                 "occurredAt":"2024-03-08T11:00:00+01:00"}""".formatted(contact.body().get("entryId").asText()))
                .status()).isEqualTo(201);

        JsonNode view = caseAtVersion(caseId, 12);
        assertThat(view.path("status").asText()).isEqualTo("RESOLVED");
        assertThat(view.path("holder").path("unit").asText()).isEqualTo("BS-NORD");
        JsonNode history = get(c + "/history").body();
        assertThat(history.path("entries").findValuesAsText("type")).containsExactly(
                "CaseOpened", "ContactRecorded", "CaseHandedOver", "InformationRequested", "InformationProvided",
                "InformationProvided", "CaseHandedOver", "WorkRecorded", "DecisionRecorded", "CaseHandedOver",
                "CaseResolved", "SatisfactionRecorded", "EntryCorrected");
        JsonNode correctedContact = history.path("entries").get(1);
        assertThat(correctedContact.path("state").asText()).isEqualTo("CORRECTED");
        assertThat(correctedContact.path("current").path("endedAt").asText()).isEqualTo("2024-03-04T07:35:00Z");
        assertThat(history.path("entries").get(5).path("entryId").asText())
                .isEqualTo(volunteered.body().get("entryId").asText());
        assertThat(history.path("entries").get(5).path("details").path("unsolicited").asBoolean()).isTrue();
        assertThat(history.toString()).doesNotContain(CPR);
        assertThat(get("/api/cases?cpr=" + CPR).body().path("cases").findValuesAsText("caseId")).containsExactly(caseId);
        Answer badSearch = get("/api/cases?cpr=0101");
        assertThat(badSearch.status()).isEqualTo(400);
        assertThat(badSearch.body().path("errors").findValuesAsText("field")).containsExactly("cpr");
        assertThat(badSearch.raw().body()).doesNotContain("0101");

        app.close();
        app = null;
        start();

        assertThat(caseAtVersion(caseId, 12)).isEqualTo(view);
        assertThat(get(c + "/history").body()).isEqualTo(history);
        assertThat(post(c + "/reopenings", """
                {"reason":"APPEAL","unit":"BACK-HB","occurredAt":"2024-03-10T10:00:00+01:00"}""").status())
                .isEqualTo(201);
        assertThat(caseAtVersion(caseId, 13).path("status").asText()).isEqualTo("OPEN");
        assertThat(get("/v3/api-docs").body().path("paths").has("/api/cases/{caseId}/handovers")).isTrue();
        assertThat(Map.of("events", storedEvents())).containsEntry("events", 14L);
    }
}
