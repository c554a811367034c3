package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.LedgerApplication;
import dk.casejourney.common.ReadModel;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auditor's promises on the embedded product, started once: an altered stored row is found at exactly
 * that event, a case replays as it stood at a past moment on both bases, revision-1 work replays like
 * revision 2, a rebuild of case-views while writes continue reports progress and verifies equal, and reads of
 * personal data land in the access log, which the product prunes itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR_A = "0101701234";
    private static final String CPR_OTHER = "1205824321";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    private ConfigurableApplicationContext app;
    private String base;
    private JdbcClient jdbc;

    private String caseA;
    private String contactA;
    private Instant afterFirstHandover;
    private Instant occurredMidJourney;

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    @BeforeAll
    void start() throws Exception {
        app = new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off");
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
        jdbc = app.getBean(JdbcClient.class);
        recordJourneyA();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private Answer send(HttpRequest.Builder request, String user) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(request.header("Authorization", "Basic " + credentials).build(),
                                                  HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()),
                          response);
    }

    private Answer post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, "caseworker");
    }

    private Answer post(String path, String json, String user) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                               .POST(HttpRequest.BodyPublishers.ofString(json)), user);
    }

    private Answer get(String path, String user) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), user);
    }

    private String open(String cpr, String unit) throws Exception {
        Answer opened = post("/api/cases", """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                 "channel":"PHONE","unit":"%s","occurredAt":"2024-03-04T08:15:00+01:00"}""".formatted(cpr, unit));
        assertThat(opened.status()).isEqualTo(201);
        return opened.body().get("caseId").asText();
    }

    private String entry(Answer answer) {
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(201);
        return answer.body().get("entryId").asText();
    }

    private static Instant pause() throws InterruptedException {
        Thread.sleep(20);
        Instant now = Instant.now();
        Thread.sleep(20);
        return now;
    }

    private void recordJourneyA() throws Exception {
        caseA = open(CPR_A, "KBH-KC");
        String c = "/api/cases/" + caseA;
        contactA = entry(post(c + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","staffId":"cc-17","purpose":"APPLICATION",
                 "startedAt":"2024-03-04T08:15:00+01:00","endedAt":"2024-03-04T08:25:00+01:00"}"""));
        entry(post(c + "/handovers", """
                {"fromUnit":"KBH-KC","toUnit":"BS-NORD","reason":"NEEDS_EXPERTISE",
                 "occurredAt":"2024-03-04T08:30:00+01:00"}"""));
        afterFirstHandover = pause();
        entry(post(c + "/information-requests", """
                {"informationType":"INCOME","unit":"BS-NORD","occurredAt":"2024-03-04T10:30:00+01:00"}"""));
        entry(post(c + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"BS-NORD","occurredAt":"2024-03-06T09:00:00+01:00"}"""));
        entry(post(c + "/handovers", """
                {"fromUnit":"BS-NORD","toUnit":"BACK-HB","reason":"AUTHORITY_ELSEWHERE",
                 "occurredAt":"2024-03-06T11:00:00+01:00"}"""));
        entry(post(c + "/work", """
                {"unit":"BACK-HB","staffId":"bo-3","activity":"assess income","startedAt":"2024-03-07T09:00:00+01:00",
                 "endedAt":"2024-03-07T09:40:00+01:00"}"""));
        entry(post(c + "/corrections", """
                {"correctedEntryId":"%s","reason":"the call was taken in another team","changes":{"staffId":"cc-18"},
                 "occurredAt":"2024-03-08T11:00:00+01:00"}""".formatted(contactA)));
        occurredMidJourney = Instant.parse("2024-03-05T12:00:00Z");
    }

    private JsonNode liveView(String caseId, long version) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(
                () -> get("/api/cases/" + caseId, "caseworker").body(),
                body -> body != null && body.path("version").asLong(-1) == version);
    }

    private String asOf(String caseId, Instant asOf, String basis) {
        return "/api/audit/cases/" + caseId + "?asOf=" + URLEncoder.encode(asOf.toString(), StandardCharsets.UTF_8)
                + "&basis=" + basis;
    }

    @Test
    @Order(1)
    void aCaseReplaysAsItStoodThen_asRecordedAndAsOccurred() throws Exception {
        Answer recorded = get(asOf(caseA, afterFirstHandover, "recorded"), "auditor");
        assertThat(recorded.status()).isEqualTo(200);
        JsonNode state = recorded.body().path("state");
        assertThat(state.path("holder").path("unit").asText()).isEqualTo("BS-NORD");
        assertThat(state.path("waitingFor").asText()).isEqualTo("MUNICIPALITY");
        assertThat(recorded.body().path("events").findValuesAsText("type"))
                .containsExactly("CaseOpened", "ContactRecorded", "CaseHandedOver");
        JsonNode contact = recorded.body().path("events").get(1);
        assertThat(contact.path("state").asText()).isEqualTo("RECORDED");
        assertThat(contact.path("recordedBy").asText()).isNotBlank();
        assertThat(Instant.parse(contact.path("recordedAt").asText())).isBefore(afterFirstHandover);
        assertThat(contact.path("eventId").asText()).isNotBlank();
        JsonNode opening = recorded.body().path("events").get(0).path("payload");
        assertThat(opening.has("citizen")).isFalse();
        assertThat(opening.path("citizenPseudonym").asText()).startsWith("P-");
        assertThat(recorded.raw().body()).doesNotContain(CPR_A);
        // Figures as of the moment: one contact, one handover, and the open case's clock stops at asOf.
        JsonNode figures = recorded.body().path("figures");
        assertThat(figures.path("computed").asBoolean()).isTrue();
        assertThat(figures.path("values").path("touchpoints").asInt()).isEqualTo(1);
        assertThat(figures.path("values").path("handovers").asInt()).isEqualTo(1);
        assertThat(figures.path("values").path("runningToNow").asBoolean()).isTrue();
        assertThat(Instant.parse(figures.path("values").path("asOf").asText())).isEqualTo(afterFirstHandover);

        Answer occurred = get(asOf(caseA, occurredMidJourney, "occurred"), "auditor");
        assertThat(occurred.body().path("state").path("waitingFor").asText()).isEqualTo("CITIZEN");
        assertThat(occurred.body().path("state").path("openInformationRequests").findValuesAsText("informationType"))
                .containsExactly("INCOME");
        assertThat(occurred.body().path("events").findValuesAsText("type"))
                .containsExactly("CaseOpened", "ContactRecorded", "CaseHandedOver", "InformationRequested",
                                 "EntryCorrected");
        JsonNode correctedContact = occurred.body().path("events").get(1);
        assertThat(correctedContact.path("state").asText()).isEqualTo("CORRECTED");
        assertThat(correctedContact.path("current").path("staffId").asText()).isEqualTo("cc-18");
        assertThat(correctedContact.path("correctedBy")).hasSize(1);
        assertThat(occurred.body().path("events").get(4).path("corrects").asText()).isEqualTo(contactA);

        // As of now, the replay and the live projection tell the same story.
        JsonNode live = liveView(caseA, 7);
        JsonNode now = get(asOf(caseA, Instant.now(), "occurred"), "auditor").body().path("state");
        for (String field : List.of("status", "holder", "waitingFor", "openInformationRequests",
                                    "informationProvided", "version", "citizenPseudonym", "openedAt")) {
            assertThat(now.path(field)).as(field).isEqualTo(live.path(field));
        }

        assertThat(get(asOf(caseA, Instant.parse("2020-01-01T00:00:00Z"), "recorded"), "auditor").status())
                .isEqualTo(404);
        Answer badBasis = get("/api/audit/cases/" + caseA + "?asOf=2024-03-05T12:00:00Z&basis=yesterday", "auditor");
        assertThat(badBasis.status()).isEqualTo(400);
        assertThat(badBasis.body().path("errors").findValuesAsText("field")).contains("basis");
    }

    @Test
    @Order(2)
    void anAlteredRowIsFoundAtExactlyThatEvent() throws Exception {
        Answer valid = get("/api/audit/cases/" + caseA + "/verification", "auditor");
        assertThat(valid.body().path("valid").asBoolean()).isTrue();
        assertThat(valid.body().path("eventsChecked").asLong()).isEqualTo(8);
        assertThat(get("/api/admin/ledger/verification", "admin").body().path("valid").asBoolean()).isTrue();

        String payloadCase = open(CPR_OTHER, "KBH-KC");
        entry(post("/api/cases/" + payloadCase + "/handovers", """
                {"fromUnit":"KBH-KC","toUnit":"BS-NORD","reason":"OTHER","occurredAt":"2024-03-04T09:00:00+01:00"}"""));
        entry(post("/api/cases/" + payloadCase + "/handovers", """
                {"fromUnit":"BS-NORD","toUnit":"BACK-HB","reason":"OTHER","occurredAt":"2024-03-04T10:00:00+01:00"}"""));
        String metaDataCase = open(CPR_OTHER, "KBH-KC");
        entry(post("/api/cases/" + metaDataCase + "/handovers", """
                {"fromUnit":"KBH-KC","toUnit":"BS-NORD","reason":"OTHER","occurredAt":"2024-03-04T09:00:00+01:00"}"""));

        // Tamper only with events the projections have already applied: altered rows read by a projection that
        // is still behind (a loaded machine) would put the altered values into the live read model, and the
        // rebuild in a later test, reading the restored rows, would then differ from it in exactly that row.
        liveView(payloadCase, 2);
        liveView(metaDataCase, 1);
        awaitProjectionsCaughtUp();
        Map<String, Object> target = row(payloadCase, 1);
        byte[] originalPayload = (byte[]) target.get("payload");
        String altered = new String(originalPayload, StandardCharsets.UTF_8).replace("BS-NORD", "BS-SYD");
        jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?")
            .params(altered.getBytes(StandardCharsets.UTF_8), target.get("event_identifier")).update();
        Map<String, Object> signed = row(metaDataCase, 1);
        byte[] originalMetaData = (byte[]) signed.get("meta_data");
        ObjectNode metaData = (ObjectNode) JSON.readTree(originalMetaData);
        metaData.put("recordedBy", "someone-else");
        jdbc.sql("UPDATE domain_event_entry SET meta_data = ? WHERE event_identifier = ?")
            .params(JSON.writeValueAsBytes(metaData), signed.get("event_identifier")).update();

        JsonNode payloadBroken = get("/api/audit/cases/" + payloadCase + "/verification", "auditor").body();
        assertThat(payloadBroken.path("valid").asBoolean()).isFalse();
        assertThat(payloadBroken.path("eventsChecked").asLong()).isEqualTo(1);
        assertThat(payloadBroken.path("firstBrokenLink").path("sequenceNumber").asLong()).isEqualTo(1);
        assertThat(payloadBroken.path("firstBrokenLink").path("eventId").asText()).isEqualTo(target.get("event_identifier"));
        assertThat(payloadBroken.path("firstBrokenLink").path("reason").asText()).isEqualTo("PAYLOAD_ALTERED");
        JsonNode metaDataBroken = get("/api/audit/cases/" + metaDataCase + "/verification", "auditor").body();
        assertThat(metaDataBroken.path("firstBrokenLink").path("eventId").asText()).isEqualTo(signed.get("event_identifier"));
        assertThat(metaDataBroken.path("firstBrokenLink").path("reason").asText()).isEqualTo("METADATA_ALTERED");

        JsonNode ledger = get("/api/admin/ledger/verification", "admin").body();
        assertThat(ledger.path("valid").asBoolean()).isFalse();
        assertThat(ledger.path("brokenCases").asLong()).isEqualTo(2);
        assertThat(ledger.path("broken").findValuesAsText("caseId")).containsExactlyInAnyOrder(payloadCase, metaDataCase);

        // Put the rows back as they were: the chain is whole again.
        jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?")
            .params(originalPayload, target.get("event_identifier")).update();
        jdbc.sql("UPDATE domain_event_entry SET meta_data = ? WHERE event_identifier = ?")
            .params(originalMetaData, signed.get("event_identifier")).update();
        assertThat(get("/api/admin/ledger/verification", "admin").body().path("valid").asBoolean()).isTrue();
    }

    /** Every processor has applied every event recorded so far. */
    private void awaitProjectionsCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(
                () -> get("/api/admin/projections", "admin").body(),
                list -> {
                    for (JsonNode projection : list.path("projections")) {
                        if (projection.path("lag").asLong(-1) != 0) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private Map<String, Object> row(String caseId, long sequenceNumber) {
        return jdbc.sql("SELECT * FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?")
                   .params(caseId, sequenceNumber).query().singleRow();
    }

    @Test
    @Order(3)
    void revisionOneWorkIsUpcastAndReplaysLikeRevisionTwo() throws Exception {
        Configuration axon = app.getBean(Configuration.class);
        Serializer serializer = app.getBean("eventSerializer", Serializer.class);
        String revision1 = """
                {"caseId":"c","entryId":"e","unit":"BACK-HB","staffId":"bo-3","activity":"assess",
                 "startedAt":"2024-03-07T08:00:00Z","endedAt":"2024-03-07T08:40:00Z","occurredAt":"2024-03-07T08:00:00Z"}""";
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(
                "CaseAggregate", "c", 1, "e1", Instant.now(), "dk.casejourney.journey.api.WorkRecorded", "1",
                revision1.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        IntermediateEventRepresentation upcast = axon.upcasterChain()
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).findFirst().orElseThrow();
        assertThat(upcast.getType().getRevision()).isEqualTo("2");

        // Two cases recorded alike; one's work is rewritten into its revision-1 form, as stored before revision 2.
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String caseId = open(CPR_OTHER, "BACK-HB");
            entry(post("/api/cases/" + caseId + "/work", """
                    {"unit":"BACK-HB","staffId":"bo-3","activity":"assess income","startedAt":"2024-03-07T09:00:00+01:00",
                     "endedAt":"2024-03-07T09:40:00+01:00"}"""));
            cases.add(caseId);
        }
        Map<String, Object> work = row(cases.get(0), 1);
        ObjectNode payload = (ObjectNode) JSON.readTree((byte[]) work.get("payload"));
        assertThat(payload.has("attributes")).isTrue();
        payload.remove(List.of("lifecycle", "attributes"));
        awaitProjectionsCaughtUp();
        jdbc.sql("UPDATE domain_event_entry SET payload = ?, payload_revision = '1' WHERE event_identifier = ?")
            .params(JSON.writeValueAsBytes(payload), work.get("event_identifier")).update();

        // The case decides on its revision-1 history: the work can be corrected.
        for (String caseId : cases) {
            String workId = liveView(caseId, 1).path("caseId").isMissingNode() ? null
                    : get("/api/cases/" + caseId + "/history", "caseworker").body().path("entries").get(1)
                                                                           .path("entryId").asText();
            entry(post("/api/cases/" + caseId + "/corrections", """
                    {"correctedEntryId":"%s","reason":"took longer","changes":{"endedAt":"2024-03-07T09:50:00+01:00"},
                     "occurredAt":"2024-03-08T11:00:00+01:00"}""".formatted(workId)));
        }
        JsonNode[] replayed = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            replayed[i] = get(asOf(cases.get(i), Instant.now(), "recorded"), "auditor").body();
        }
        assertThat(replayed[0].path("state")).isEqualTo(replayed[1].path("state"));
        assertThat(withoutIds(replayed[0].path("events"))).isEqualTo(withoutIds(replayed[1].path("events")));
        assertThat(replayed[0].path("events").get(1).path("payload").path("attributes").isObject()).isTrue();
        revisionOneCases = cases;
    }

    private List<String> revisionOneCases;

    /** The events' content, without the ids and times that differ between two cases recorded alike. */
    private static JsonNode withoutIds(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("caseId", "entryId", "correctedEntryId", "eventId", "recordedAt", "corrects",
                                  "correctedBy"));
        }
        node.forEach(AuditLedgerTest::strip);
    }

    private JsonNode historyDetails(String caseId) throws Exception {
        JsonNode entries = get("/api/cases/" + caseId + "/history", "caseworker").body().path("entries");
        List<JsonNode> details = new ArrayList<>();
        entries.forEach(entry -> details.add(JSON.createObjectNode().put("type", entry.path("type").asText())
                                                 .put("state", entry.path("state").asText())
                                                 .set("details", entry.path("details"))));
        return withoutIds(JSON.valueToTree(details));
    }

    @Test
    @Order(4)
    void aRebuildWhileWritesContinueShowsProgressAndVerifiesEqual() throws Exception {
        for (int i = 0; i < 30; i++) {
            String caseId = open(CPR_OTHER, "KBH-KC");
            entry(post("/api/cases/" + caseId + "/handovers", """
                    {"fromUnit":"KBH-KC","toUnit":"BS-NORD","reason":"OTHER","occurredAt":"2024-03-04T09:00:00+01:00"}"""));
        }
        JsonNode listed = get("/api/admin/projections", "admin").body();
        JsonNode caseViews = find(listed.path("projections"), "case-views");
        assertThat(caseViews.path("segments")).hasSize(2);
        assertThat(caseViews.path("rebuildable").asBoolean()).isTrue();
        assertThat(listed.path("head").asLong()).isGreaterThan(60);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                try {
                    open(CPR_OTHER, "KBH-KC");
                    written.incrementAndGet();
                } catch (Throwable e) {
                    refused.incrementAndGet();
                }
            }
        });
        writer.start();
        Answer started;
        List<JsonNode> progress = new ArrayList<>();
        JsonNode rebuild;
        int writtenBeforeRebuild;
        int writtenDuringRebuild;
        try {
            started = post("/api/admin/projections/case-views/rebuilds", "", "admin");
            assertThat(started.status()).isEqualTo(202);
            writtenBeforeRebuild = written.get();
            String location = started.raw().headers().firstValue("Location").orElseThrow();
            rebuild = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                JsonNode now = get(location, "admin").body();
                progress.add(now);
                return now;
            }, now -> now.path("phase").asText().matches("DONE|FAILED"));
            writtenDuringRebuild = written.get() - writtenBeforeRebuild;
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(rebuild.path("error").isNull() || rebuild.path("error").isMissingNode()).as(rebuild.toString()).isTrue();
        assertThat(rebuild.path("phase").asText()).isEqualTo("DONE");
        assertThat(rebuild.path("eventsTotal").asLong()).isGreaterThan(60);
        assertThat(rebuild.path("eventsDone").asLong()).isEqualTo(rebuild.path("eventsTotal").asLong());
        assertThat(rebuild.path("eventsPerSecond").asDouble()).isPositive();
        assertThat(rebuild.path("verification").path("equal").asBoolean()).as(rebuild.toString()).isTrue();
        assertThat(rebuild.path("verification").path("tables").findValuesAsText("table"))
                .containsExactly("case_view", "case_citizen", "case_history");
        assertThat(rebuild.path("verification").path("tables").findValues("rowsAfter"))
                .allSatisfy(rows -> assertThat(rows.asLong()).isPositive());
        assertThat(progress).extracting(p -> p.path("phase").asText()).contains("DONE");
        assertThat(writtenDuringRebuild).isPositive();
        assertThat(refused.get()).isZero();
        // Left out: cases with events the copy may not hold, a subset of the ledger's cases.
        assertThat(rebuild.path("verification").path("excludedCases").asLong()).isBetween(0L, jdbc.sql(
                "SELECT COUNT(DISTINCT aggregate_identifier) FROM domain_event_entry").query(Long.class).single());

        // Rebuilt from the ledger, the revision-1 work reads exactly like revision 2.
        assertThat(historyDetails(revisionOneCases.get(0))).isEqualTo(historyDetails(revisionOneCases.get(1)));
        await().atMost(Duration.ofSeconds(15)).until(
                () -> find(get("/api/admin/projections", "admin").body().path("projections"), "case-views"),
                now -> now.path("state").asText().equals("RUNNING") && now.path("lag").asLong(-1) == 0);
        assertThat(liveView(caseA, 7).path("holder").path("unit").asText()).isEqualTo("BACK-HB");
    }

    private static JsonNode find(JsonNode projections, String name) {
        for (JsonNode projection : projections) {
            if (projection.path("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name + " in " + projections);
    }

    @Test
    @Order(5)
    void readsOfPersonalDataAreLoggedAndThePersonCanBeToldWhoLooked() throws Exception {
        Answer search = send(HttpRequest.newBuilder(URI.create(base + "/api/cases?cpr=" + CPR_A))
                                        .header("X-Purpose", "citizen complaint 2024-17").GET(), "auditor");
        assertThat(search.body().path("cases").findValuesAsText("caseId")).containsExactly(caseA);
        long caseReads = jdbc.sql("SELECT COUNT(*) FROM access_log WHERE what = 'FindCaseQuery'").query(Long.class)
                             .single();
        assertThat(get("/api/cases/" + caseA, "caseworker").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM access_log WHERE what = 'FindCaseQuery'").query(Long.class).single())
                .isEqualTo(caseReads + 1);

        Answer log = get("/api/audit/access-log?cpr=" + CPR_A.substring(0, 6) + "-" + CPR_A.substring(6), "auditor");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.raw().body()).doesNotContain(CPR_A);
        assertThat(log.body().path("caseIds").findValuesAsText("caseIds")).isEmpty();
        assertThat(log.body().path("caseIds")).extracting(JsonNode::asText).containsExactly(caseA);
        List<JsonNode> entries = new ArrayList<>();
        log.body().path("entries").forEach(entries::add);
        JsonNode searched = entries.stream()
                                   .filter(e -> "citizen complaint 2024-17".equals(e.path("purpose").asText(null)))
                                   .findFirst().orElseThrow();
        assertThat(searched.path("what").asText()).isEqualTo("FindCasesQuery");
        assertThat(searched.path("criteria").path("cpr").asText()).isEqualTo(log.body().path("citizen").asText());
        assertThat(searched.path("caseIds")).extracting(JsonNode::asText).containsExactly(caseA);
        assertThat(searched.path("who").asText()).isIn("anonymous", "auditor");
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("what").asText()).isEqualTo("FindCaseQuery");
            assertThat(e.path("caseIds")).extracting(JsonNode::asText).containsExactly(caseA);
        });
        assertThat(entries).anySatisfy(e -> assertThat(e.path("what").asText()).isEqualTo("FindCaseAsOfQuery"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM access_log WHERE criteria LIKE ?").param("%" + CPR_A + "%")
                       .query(Long.class).single()).isZero();

        // Retention: the product deletes what is older than the period, and nothing younger.
        long logged = jdbc.sql("SELECT COUNT(*) FROM access_log").query(Long.class).single();
        AccessLogStore store = app.getBean(AccessLogStore.class);
        Instant now = Instant.now();
        AccessLogProperties thirtyDays = new AccessLogProperties(Period.ofDays(30), Duration.ofHours(1));
        assertThat(new AccessLogRetention(store, thirtyDays, Clock.fixed(now.plus(Duration.ofDays(29)), ZoneOffset.UTC))
                           .purge()).isZero();
        assertThat(new AccessLogRetention(store, thirtyDays, Clock.fixed(now.plus(Duration.ofDays(31)), ZoneOffset.UTC))
                           .purge()).isEqualTo((int) logged);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM access_log_case").query(Long.class).single()).isZero();
    }

    /**
     * A processor's segment stores its token only when a batch holds events of its own (or at a claim extension,
     * seconds later), so a segment whose cases are quiet while the other's are written looks behind in the token
     * store although it has looked at every event. The lag shown must be where the processors stand.
     */
    @Test
    @Order(6)
    void givenEventsOfOneSegmentOnly_whenTheReadModelsHaveHandledThem_thenNoProjectionShowsLag() throws Exception {
        // Cases are sequenced by their identifier; with two segments its hash's lowest bit names the segment.
        String even = null;
        String odd = null;
        while (even == null || odd == null) {
            String opened = open(CPR_OTHER, "KBH-KC");
            if ((opened.hashCode() & 1) == 0) {
                even = even == null ? opened : even;
            } else {
                odd = odd == null ? opened : odd;
            }
        }
        awaitProjectionsCaughtUp();
        String contact = """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","staffId":"cc-17","purpose":"APPLICATION",
                 "startedAt":"2024-03-04T08:%1$02d:00+01:00","endedAt":"2024-03-04T08:%1$02d:30+01:00"}""";
        entry(post("/api/cases/" + even + "/contacts", contact.formatted(20)));
        liveView(even, 1);
        for (int minute = 21; minute < 26; minute++) {
            entry(post("/api/cases/" + odd + "/contacts", contact.formatted(minute)));
        }
        liveView(odd, 5);

        // Well within the claim extension (a third of the claim timeout: 3.3 s by default), after which the quiet
        // segment's token would be stored anyway.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(
                () -> assertThat(get("/api/admin/projections", "admin").body().path("projections"))
                        .allSatisfy(projection -> assertThat(projection.path("lag").asLong(-1))
                                .as(projection.toString()).isZero()));
    }

    /**
     * A rebuild resets the group's tokens first and empties its tables after, with {@code TRUNCATE}, which H2
     * commits on its own. Should the emptying fail after the reset, the replay meets the rows left: it must say so,
     * not go on as if the read model were whole.
     */
    @Test
    @Order(7)
    void givenTokensResetForARebuildButTheTablesNotEmptied_whenTheReplayRuns_thenTheReadModelSaysItFailed()
            throws Exception {
        awaitProjectionsCaughtUp();
        StreamingEventProcessor caseViews = app.getBean(Configuration.class).eventProcessingConfiguration()
                                               .eventProcessor("case-views", StreamingEventProcessor.class)
                                               .orElseThrow();
        caseViews.shutdownAsync().get(1, TimeUnit.MINUTES);
        caseViews.resetTokens(ReadModel.EMPTIED_BY_REBUILD);
        // As the rebuild leaves them: released, for whichever instance claims them first.
        TokenStore tokens = app.getBean(TokenStore.class);
        app.getBean(TransactionManager.class).executeInTransaction(
                () -> Arrays.stream(tokens.fetchSegments("case-views"))
                            .forEach(segment -> tokens.releaseClaim("case-views", segment)));
        caseViews.start();

        // Replayed onto the rows left, the segment holding them fails and is let go, again and again: never
        // caught up and running (a replay onto emptied tables is so within a second).
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(100))
               .until(() -> find(get("/api/admin/projections", "admin").body().path("projections"), "case-views"),
                      now -> !now.path("state").asText().equals("RUNNING") || now.path("lag").asLong(-1) != 0
                              || now.path("deadLetters").path("count").asLong() > 0);
        // Monitoring sees it too (its lag is a metric): the health details do not call it running and caught up.
        JsonNode health = get("/actuator/health/readiness", "admin").body()
                .at("/components/processors/details/case-views");
        assertThat(health.path("state").asText()).as(health.toString()).isIn("STALLED", "ERROR");
        assertThat(health.path("lagEvents").asLong()).as(health.toString()).isPositive();
    }
}
