package dk.casejourney;

import dk.casejourney.common.Identifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile and out-of-domain input over real HTTP (issue 10 items 3 and 4, issue 12 items 5 and 6): every
 * refusal is problem+json naming the field, nothing is recorded, nothing answers 5xx, and no request costs
 * more than a moment. Each test names the observation of the issue it reproduces; the sweep at the end tries
 * every kind of bad input against every endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:ledger-bad-input;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "ledger.processors.initial-segment-count=1",
        // Hundreds of requests: plain-text demo passwords spare a bcrypt check (~100 ms of CPU) on each.
        "ledger.security.users.caseworker.password-hash={noop}caseworker",
        "ledger.security.users.auditor.password-hash={noop}auditor",
        "ledger.security.users.manager.password-hash={noop}manager",
        "ledger.security.users.admin.password-hash={noop}admin"})
class BadInputHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String T0 = "2024-03-01T09:00:00Z";
    private static final AtomicInteger CITIZENS = new AtomicInteger();
    /** Kinds of bad input the tests of this class try; the report counts them. */
    static final Map<String, Integer> KINDS = new LinkedHashMap<>();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String contentType, String text) {
        JsonNode body() {
            try {
                return text.isEmpty() ? JSON.missingNode() : JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        List<String> fields() {
            return body().path("errors").findValuesAsText("field");
        }
    }

    /** The figure for the issue's note: how many kinds of bad input, and how many requests, were tried. */
    @AfterAll
    static void printKindsTried() {
        System.out.println("bad input tried: " + KINDS.size() + " kinds, "
                + KINDS.values().stream().mapToInt(Integer::intValue).sum() + " requests or files");
    }

    // ---------------------------------------------------------------- helpers

    static String at(int minutes) {
        return Instant.parse(T0).plus(Duration.ofMinutes(minutes)).toString();
    }

    static String uniqueCpr() {
        int n = CITIZENS.incrementAndGet();
        return String.format("%02d%02d85%04d", 1 + n % 28, 1 + (n / 28) % 12, 1000 + n);
    }

    Answer send(String user, String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                                 .timeout(Duration.ofSeconds(60))
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                          response.body());
    }

    Answer post(String path, String body) throws Exception {
        return send("caseworker", "POST", path, body, Map.of());
    }

    Answer get(String user, String path) throws Exception {
        return send(user, "GET", path, null, Map.of());
    }

    long storedEvents() {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
    }

    String openCase() throws Exception {
        Answer opened = post("/api/cases", openBody(uniqueCpr(), T0));
        assertThat(opened.status()).as(opened.text()).isEqualTo(201);
        return opened.body().get("caseId").asText();
    }

    static String openBody(String cpr, String occurredAt) {
        return """
               {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                "channel":"PHONE","unit":"contact-center","occurredAt":"%s"}""".formatted(cpr, occurredAt);
    }

    static void counted(String kind) {
        synchronized (KINDS) {
            KINDS.merge(kind, 1, Integer::sum);
        }
    }

    /** A refusal: the status, problem+json, the field named, and nothing recorded. */
    void refused(String kind, String method, String path, String body, Map<String, String> headers, int status,
                 String field) throws Exception {
        counted(kind);
        long before = storedEvents();
        Answer answer = send("caseworker", method, path, body, headers);
        assertThat(answer.status()).as(kind + ": " + method + " " + path + " " + body + " -> " + answer.text())
                                   .isEqualTo(status);
        assertThat(answer.contentType()).as(kind).startsWith("application/problem+json");
        assertThat(answer.fields()).as(kind + ": " + answer.text()).contains(field);
        assertThat(storedEvents()).as(kind + ": nothing recorded").isEqualTo(before);
    }

    void refused(String kind, String path, String body, int status, String field) throws Exception {
        refused(kind, "POST", path, body, Map.of(), status, field);
    }

    // ---------------------------------------------------------------- business times in a plausible window

    @Test
    void givenBusinessTimesOutsideThePlausibleWindow_whenWritten_thenRefusedAndNothingRecorded() throws Exception {
        for (String time : List.of("-999999999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "-0044-03-15T12:00:00Z",
                                   "1899-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "2099-01-01T00:00:00Z")) {
            refused("business time outside the window (opening)", "/api/cases", openBody(uniqueCpr(), time), 400,
                    "occurredAt");
        }
        String caseId = openCase();
        refused("business time outside the window (contact)", "/api/cases/" + caseId + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"APPLICATION",
                 "queuedAt":"0001-01-01T00:00:00Z","startedAt":"%s","endedAt":"%s"}""".formatted(at(1), at(2)),
                400, "queuedAt");
        refused("business time outside the window (work end)", "/api/cases/" + caseId + "/work", """
                {"unit":"contact-center","activity":"assess","startedAt":"%s","endedAt":"+999999999-12-31T00:00:00Z"}"""
                .formatted(at(1)), 400, "endedAt");
    }

    @Test
    void givenACorrectionToATimeOutsideTheWindow_whenRecorded_thenRefusedLikeAWrite() throws Exception {
        String caseId = openCase();
        Answer contact = post("/api/cases/" + caseId + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"APPLICATION",
                 "startedAt":"%s","endedAt":"%s"}""".formatted(at(1), at(5)));
        assertThat(contact.status()).isEqualTo(201);
        String entryId = contact.body().get("entryId").asText();
        for (String time : List.of("2099-01-01T00:00:00Z", Instant.now().plus(Duration.ofHours(1)).toString())) {
            refused("correction into the future", "/api/cases/" + caseId + "/corrections", """
                    {"correctedEntryId":"%s","reason":"ended later","changes":{"endedAt":"%s"},"occurredAt":"%s"}"""
                    .formatted(entryId, time, at(10)), 400, "changes.endedAt");
        }
        refused("correction into the distant past", "/api/cases/" + caseId + "/corrections", """
                {"correctedEntryId":"%s","reason":"typo","changes":{"queuedAt":"0001-01-01T00:00:00Z"},"occurredAt":"%s"}"""
                .formatted(entryId, at(10)), 400, "changes.queuedAt");
    }

    // ---------------------------------------------------------------- text: control characters, lengths, CPR

    @Test
    void givenControlCharactersOrOverlongText_whenWritten_thenRefused() throws Exception {
        String caseId = openCase();
        String work = "/api/cases/" + caseId + "/work";
        for (String bad : List.of("\\u0000", "a\\u0007b", "x\\u001b[31m", "tab\\there", "line\\nbreak",
                                  "\\u0085next", "\\ud800lonely")) {
            refused("control character in a single-line text", work, """
                    {"unit":"contact-center","activity":"%s","startedAt":"%s","endedAt":"%s"}"""
                    .formatted(bad, at(1), at(2)), 400, "activity");
        }
        refused("control character in a note", "/api/cases/" + caseId + "/handovers", """
                {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","note":"a\\u0000b",
                 "occurredAt":"%s"}""".formatted(at(3)), 400, "note");
        refused("text over its length limit", work, """
                {"unit":"contact-center","activity":"%s","startedAt":"%s","endedAt":"%s"}"""
                .formatted("a".repeat(201), at(1), at(2)), 400, "activity");
        refused("text over its length limit", "/api/cases/" + caseId + "/handovers", """
                {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","note":"%s",
                 "occurredAt":"%s"}""".formatted("n".repeat(2001), at(3)), 400, "note");
        // A note may span lines: line breaks and tabs are text there.
        Answer multiLine = post("/api/cases/" + caseId + "/handovers", """
                {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","note":"line 1\\nline 2\\tend",
                 "occurredAt":"%s"}""".formatted(at(3)));
        assertThat(multiLine.status()).as(multiLine.text()).isEqualTo(201);
    }

    @Test
    void givenACprShapedNumberInAFreeTextFieldOrIdentifier_whenWritten_thenRefused() throws Exception {
        String caseId = openCase();
        String cases = "/api/cases/" + caseId;
        for (String cpr : List.of("0101701234", "010170-1234", "311299-9999", "2902800000")) {
            refused("CPR-shaped number in activity", cases + "/work", """
                    {"unit":"contact-center","activity":"called about %s","startedAt":"%s","endedAt":"%s"}"""
                    .formatted(cpr, at(1), at(2)), 400, "activity");
            refused("CPR-shaped number in staff id", cases + "/work", """
                    {"unit":"contact-center","staffId":"%s","activity":"call","startedAt":"%s","endedAt":"%s"}"""
                    .formatted(cpr, at(1), at(2)), 400, "staffId");
            refused("CPR-shaped number in unit", cases + "/decisions", """
                    {"outcome":"GRANTED","unit":"u %s","occurredAt":"%s"}""".formatted(cpr, at(3)), 400, "unit");
            refused("CPR-shaped number in note", cases + "/handovers", """
                    {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","note":"cpr %s",
                     "occurredAt":"%s"}""".formatted(cpr, at(3)), 400, "note");
            refused("CPR-shaped number in Idempotency-Key", "POST", cases + "/decisions", """
                    {"outcome":"GRANTED","unit":"contact-center","occurredAt":"%s"}""".formatted(at(3)),
                    Map.of("Idempotency-Key", "key-" + cpr), 400, "Idempotency-Key");
            refused("CPR-shaped number as case id (write)", "/api/cases/" + cpr + "/decisions", """
                    {"outcome":"GRANTED","unit":"contact-center","occurredAt":"%s"}""".formatted(at(3)), 400, "caseId");
            refused("CPR-shaped number as case id (read)", "GET", "/api/cases/" + cpr, null, Map.of(), 400, "caseId");
            refused("CPR-shaped number as case id (journey read)", "GET", "/api/cases/" + cpr + "/journey",
                    null, Map.of(), 400, "caseId");
        }
        // Ten digits that are no date are not a CPR number: an ordinary reference.
        Answer reference = post(cases + "/work", """
                {"unit":"contact-center","activity":"journal 9913001234","startedAt":"%s","endedAt":"%s"}"""
                .formatted(at(1), at(2)));
        assertThat(reference.status()).as(reference.text()).isEqualTo(201);
        // A correction's reason and changed texts go through the same rules.
        String entryId = reference.body().get("entryId").asText();
        refused("CPR-shaped number in a correction's reason", cases + "/corrections", """
                {"correctedEntryId":"%s","reason":"citizen 0101701234 said so","changes":{"activity":"x"},"occurredAt":"%s"}"""
                .formatted(entryId, at(5)), 400, "reason");
        refused("CPR-shaped number in a correction's changes", cases + "/corrections", """
                {"correctedEntryId":"%s","reason":"typo","changes":{"activity":"x 0101701234"},"occurredAt":"%s"}"""
                .formatted(entryId, at(5)), 400, "changes.activity");
    }

    @Test
    void givenAnIdempotencyKey_whenRecorded_thenTheLedgerHoldsItOnlyHashedAndARetryIsStillRecognised()
            throws Exception {
        String key = "retry-" + Identifiers.random();
        String body = openBody(uniqueCpr(), T0);
        Answer first = send("caseworker", "POST", "/api/cases", body, Map.of("Idempotency-Key", key));
        Answer retry = send("caseworker", "POST", "/api/cases", body, Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().get("entryId")).isEqualTo(first.body().get("entryId"));
        String caseId = first.body().get("caseId").asText();
        List<String> metaData = jdbc.sql("SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ?")
                                    .param(caseId).query(byte[].class).list().stream()
                                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
        assertThat(metaData).isNotEmpty().noneMatch(text -> text.contains(key));
        assertThat(metaData).allMatch(text -> text.contains("idempotencyKey"));
    }

    // ---------------------------------------------------------------- JSON types, duplicates, references

    @Test
    void givenJsonOfTheWrongTypeOrWithDuplicateKeys_whenWritten_thenRefusedNotCoerced() throws Exception {
        String caseId = openCase();
        String cases = "/api/cases/" + caseId;
        refused("fraction for a whole number", cases + "/satisfaction", """
                {"score":3.5,"channel":"PHONE","occurredAt":"%s"}""".formatted(at(1)), 400, "score");
        refused("string for a whole number", cases + "/satisfaction", """
                {"score":"4","channel":"PHONE","occurredAt":"%s"}""".formatted(at(1)), 400, "score");
        refused("boolean for a whole number", cases + "/satisfaction", """
                {"score":true,"channel":"PHONE","occurredAt":"%s"}""".formatted(at(1)), 400, "score");
        refused("number for a CPR string", "/api/cases", """
                {"cpr":2906841357,"citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"PHONE","unit":"contact-center","occurredAt":"%s"}""".formatted(T0), 400, "cpr");
        refused("number for a time", cases + "/decisions", """
                {"outcome":"GRANTED","unit":"contact-center","occurredAt":1709283600}""", 400, "occurredAt");
        refused("number for a text", cases + "/decisions", """
                {"outcome":"GRANTED","unit":101,"occurredAt":"%s"}""".formatted(at(1)), 400, "unit");
        refused("string for a boolean", cases + "/corrections", """
                {"correctedEntryId":"x","reason":"r","voidEntry":"true","occurredAt":"%s"}""".formatted(at(1)),
                400, "voidEntry");
        refused("duplicate JSON key", cases + "/satisfaction", """
                {"score":1,"score":5,"channel":"PHONE","occurredAt":"%s"}""".formatted(at(1)), 400, "body");
        refused("trailing content after the JSON body", cases + "/decisions", """
                {"outcome":"GRANTED","unit":"contact-center","occurredAt":"%s"} {"outcome":"REFUSED"}"""
                .formatted(at(1)), 400, "body");
        refused("enum as a number", cases + "/decisions", """
                {"outcome":0,"unit":"contact-center","occurredAt":"%s"}""".formatted(at(1)), 400, "outcome");
    }

    @Test
    void givenAnAnswerToARequestTheCaseDoesNotHave_whenRecorded_thenRefusedNotDropped() throws Exception {
        String caseId = openCase();
        String cases = "/api/cases/" + caseId;
        refused("reference to an unknown entry", cases + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"contact-center","answersRequestId":"no-such-request",
                 "occurredAt":"%s"}""".formatted(at(2)), 409, "answersRequestId");
        Answer request = post(cases + "/information-requests", """
                {"informationType":"INCOME","unit":"contact-center","occurredAt":"%s"}""".formatted(at(3)));
        String requestId = request.body().get("entryId").asText();
        assertThat(post(cases + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"contact-center","answersRequestId":"%s",
                 "occurredAt":"%s"}""".formatted(requestId, at(4))).status()).isEqualTo(201);
        refused("reference to an entry already answered", cases + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"contact-center","answersRequestId":"%s",
                 "occurredAt":"%s"}""".formatted(requestId, at(5)), 409, "answersRequestId");
    }

    // ---------------------------------------------------------------- query parameters

    @Test
    void givenARepeatedQueryParameter_whenRead_thenRefusedNamingIt() throws Exception {
        for (String path : List.of("/api/evaluation?from=2024-01-01&to=2024-12-31&unit=A&unit=B",
                                   "/api/evaluation/cases?from=2024-01-01&to=2024-12-31&channel=PHONE&channel=EMAIL",
                                   "/api/evaluation?from=2024-01-01&from=2023-01-01&to=2024-12-31")) {
            counted("repeated query parameter");
            Answer answer = get("manager", path);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.fields()).containsAnyOf("unit", "channel", "from");
        }
        counted("repeated query parameter");
        Answer search = get("caseworker", "/api/cases?unit=A&unit=B");
        assertThat(search.status()).isEqualTo(400);
        assertThat(search.fields()).contains("unit");
    }

    @Test
    void givenExtremeOrMalformedQueryParameters_whenRead_thenA4xxProblemWithinASecond() throws Exception {
        String caseId = openCase();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("caseworker", "/api/cases/" + caseId).status() == 200);
        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("/api/evaluation?from=-999999999-01-01&to=%2B999999999-12-31", "from");
        reads.put("/api/evaluation?from=0001-01-01&to=9999-12-31", "from");
        reads.put("/api/evaluation?from=2024-01-01&to=9999-12-31", "to");
        reads.put("/api/evaluation/comparison?from=0001-01-01&to=2024-12-31&changeDate=2024-06-01", "from");
        reads.put("/api/evaluation?from=2024-01-01&to=2024-12-31&unit=" + "u".repeat(4000), "unit");
        reads.put("/api/evaluation/cases?from=2024-01-01&to=2024-12-31&unit=" + "u".repeat(4000), "unit");
        reads.put("/api/cases?unit=" + "u".repeat(4000), "unit");
        reads.put("/api/audit/cases/" + caseId + "?asOf=-999999999-01-01T00:00:00Z", "asOf");
        reads.put("/api/audit/cases/" + caseId + "?asOf=%2B999999999-12-31T23:59:59Z", "asOf");
        reads.put("/api/audit/cases/" + caseId + "?asOf=0001-01-01T00:00:00Z", "asOf");
        reads.put("/api/audit/cases/" + caseId + "?asOf=9999-12-31T23:59:59Z", "asOf");
        reads.put("/api/audit/access-log?cpr=9999999999", "cpr");
        reads.put("/api/audit/access-log?cpr=3213999999", "cpr");
        reads.put("/api/audit/access-log?cpr=" + "1".repeat(4000), "cpr");
        for (Map.Entry<String, String> read : reads.entrySet()) {
            counted("extreme query parameter");
            long started = System.nanoTime();
            Answer answer = get("auditor", read.getKey());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(answer.status()).as(read.getKey() + " -> " + answer.text() + " in " + millis + " ms")
                                       .isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.fields()).as(read.getKey()).contains(read.getValue());
        }
    }

    // ---------------------------------------------------------------- every refusal problem+json, any Accept

    @Test
    void givenReadsOfThingsThatDoNotExist_whenAnyAcceptHeader_thenA404ProblemNamingTheField() throws Exception {
        String caseId = openCase();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("caseworker", "/api/cases/" + caseId).status() == 200);
        Map<String, String[]> reads = new LinkedHashMap<>();
        reads.put("/api/cases/no-such-case", new String[]{"caseworker", "caseId"});
        reads.put("/api/cases/no-such-case/history", new String[]{"caseworker", "caseId"});
        reads.put("/api/cases/" + caseId + "/contacts/no-such-entry", new String[]{"caseworker", "entryId"});
        reads.put("/api/cases/no-such-case/journey", new String[]{"caseworker", "caseId"});
        reads.put("/api/imports/" + Identifiers.random(), new String[]{"admin", "importId"});
        reads.put("/api/admin/projections/case-views/rebuilds/" + Identifiers.random(), new String[]{"admin", "id"});
        reads.put("/api/audit/cases/no-such-case?asOf=2024-03-05T12:00:00Z", new String[]{"auditor", "caseId"});
        reads.put("/api/audit/cases/" + caseId + "?asOf=2024-02-01T00:00:00Z", new String[]{"auditor", "asOf"});
        reads.put("/api/audit/cases/no-such-case/verification", new String[]{"auditor", "caseId"});
        for (String accept : new String[]{null, "application/json", "application/problem+json", "*/*", "text/csv",
                                          "application/json, application/problem+json", "image/png"}) {
            for (Map.Entry<String, String[]> read : reads.entrySet()) {
                counted("read of something that does not exist");
                Answer answer = send(read.getValue()[0], "GET", read.getKey(), null,
                                     accept == null ? Map.of() : Map.of("Accept", accept));
                boolean json = accept == null || accept.contains("json") || accept.equals("*/*");
                // Asked for a type the endpoint cannot produce at all: 406, also as problem+json naming Accept.
                assertThat(answer.status()).as(read.getKey() + " Accept " + accept + " -> " + answer.text())
                                           .isEqualTo(json ? 404 : 406);
                assertThat(answer.contentType()).as(read.getKey() + " Accept " + accept)
                                                .startsWith("application/problem+json");
                assertThat(answer.fields()).as(read.getKey() + " Accept " + accept)
                                           .contains(json ? read.getValue()[1] : "Accept");
            }
        }
        // A client that accepts only problem+json still gets an answer, not 406.
        Answer found = send("caseworker", "GET", "/api/cases/" + caseId, null,
                            Map.of("Accept", "application/problem+json"));
        assertThat(found.status()).isNotEqualTo(406).isLessThan(500);
    }

    // ---------------------------------------------------------------- imports

    String upload(String fileName, byte[] content, String mapping) throws Exception {
        String boundary = "----bad-input-" + Identifiers.random();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        if (mapping != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"mapping\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + mapping + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/imports"))
                                         .timeout(Duration.ofSeconds(120))
                                         .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                                 "admin:admin".getBytes(StandardCharsets.UTF_8)))
                                         .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                         .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        lastImport = new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                                response.body());
        return response.body();
    }

    Answer lastImport;

    static String xes(String traces) {
        return """
               <?xml version="1.0" encoding="UTF-8"?>
               <log xes.version="1.0" xmlns="http://www.xes-standard.org/">
                 <string key="concept:name" value="%s"/>
               %s</log>
               """.formatted("bad-input-" + Identifiers.random(), traces);
    }

    static String trace(String name, String activity, String timestamp) {
        return """
                 <trace>
                   <string key="concept:name" value="%s"/>
                   <event>
                     <string key="concept:name" value="%s"/>
                     <string key="org:group" value="back-office"/>
                     <date key="time:timestamp" value="%s"/>
                   </event>
                 </trace>
               """.formatted(name, activity, timestamp);
    }

    @Test
    void givenAnImportedTraceOutsideTheDomain_whenImported_thenThatTraceIsReportedAndTheRestRecorded()
            throws Exception {
        String log = xes(trace("good-1", "register", "2011-10-11T10:00:00.000+02:00")
                + trace("year-one", "register", "0001-01-01T10:00:00.000+00:00")
                + trace("year-minus-44", "register", "-0044-03-15T10:00:00.000+00:00")
                + trace("far-future", "register", "2999-01-01T10:00:00.000+00:00")
                + trace("control-character", "reg&#x85;ister", "2011-10-11T10:00:00.000+02:00")
                + trace("cpr-in-activity", "call 010170-1234", "2011-10-11T10:00:00.000+02:00")
                + trace("0101701234", "register", "2011-10-11T10:00:00.000+02:00")
                + trace("good-2", "register", "2011-10-12T10:00:00.000+02:00"));
        counted("imported trace outside the domain");
        JsonNode report = JSON.readTree(upload("outside.xes", log.getBytes(StandardCharsets.UTF_8), null));
        assertThat(lastImport.status()).as(report.toString()).isEqualTo(201);
        assertThat(report.path("casesImported").asLong()).as(report.toString()).isEqualTo(2);
        assertThat(report.path("skippedCount").asLong()).isEqualTo(6);
        List<String> reasons = new ArrayList<>();
        report.path("skipped").forEach(skipped -> reasons.add(skipped.path("trace").asText() + ": "
                + skipped.path("reason").asText()));
        assertThat(String.join("\n", reasons)).contains("year-one", "far-future", "control-character",
                                                        "cpr-in-activity").doesNotContain("0101701234");
    }

    @Test
    void givenImportOptionsOutOfBounds_whenImporting_thenRefusedNamingTheOption() throws Exception {
        byte[] log = xes(trace("t", "register", "2011-10-11T10:00:00.000+02:00")).getBytes(StandardCharsets.UTF_8);
        for (String mapping : List.of("{\"tracesPerBatch\":0}", "{\"tracesPerBatch\":-5}",
                                      "{\"tracesPerBatch\":1000000}", "{\"tracesPerBatch\":2.5}",
                                      "{\"defaultUnit\":\"a\\u0000b\"}", "{\"source\":\"" + "s".repeat(500) + "\"}",
                                      "{\"tracesPerBatch\":1,\"tracesPerBatch\":2}")) {
            counted("import option out of bounds");
            long before = storedEvents();
            upload("options.xes", log, mapping);
            assertThat(lastImport.status()).as(mapping + " -> " + lastImport.text()).isEqualTo(400);
            assertThat(lastImport.contentType()).startsWith("application/problem+json");
            assertThat(lastImport.fields()).as(lastImport.text()).anyMatch(field -> field.startsWith("mapping"));
            assertThat(storedEvents()).isEqualTo(before);
        }
    }

    @Test
    void givenHostileXmlFiles_whenImported_thenRefusedWithA4xxEarly() throws Exception {
        // An 8 MB attribute value.
        counted("oversized XES attribute");
        String huge = xes(trace("t", "x".repeat(8 * 1024 * 1024), "2011-10-11T10:00:00.000+02:00"));
        upload("huge.xes", huge.getBytes(StandardCharsets.UTF_8), null);
        assertThat(lastImport.status()).as(lastImport.text()).isIn(413, 422);
        assertThat(lastImport.contentType()).startsWith("application/problem+json");

        // 50,000 nested elements.
        counted("deeply nested XML");
        StringBuilder nested = new StringBuilder("<?xml version=\"1.0\"?><log xes.version=\"1.0\"><trace>");
        nested.append("<list key=\"l\">".repeat(50_000)).append("</list>".repeat(50_000));
        nested.append("</trace></log>");
        upload("nested.xes", nested.toString().getBytes(StandardCharsets.UTF_8), null);
        assertThat(lastImport.status()).as(lastImport.text()).isIn(413, 422);
        assertThat(lastImport.contentType()).startsWith("application/problem+json");

        // A small gzip that expands to 300 MB.
        counted("gzip bomb");
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
            gzip.write(xes("").replace("</log>", "").getBytes(StandardCharsets.UTF_8));
            gzip.write("<!--".getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1024 * 1024];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 300; i++) {
                gzip.write(spaces);
            }
            gzip.write("--></log>".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(packed.size()).isLessThan(1024 * 1024);
        upload("bomb.xes.gz", packed.toByteArray(), null);
        assertThat(lastImport.status()).as(lastImport.text()).isIn(413, 422);
        assertThat(lastImport.contentType()).startsWith("application/problem+json");
    }

    // ---------------------------------------------------------------- CSV safe in a spreadsheet

    @Test
    void givenTextThatASpreadsheetReadsAsAFormula_whenExportedAsCsv_thenTheCellIsNeutralised() throws Exception {
        String log = xes(trace("=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)", "@SUM(1)", "2011-10-11T10:00:00.000+02:00")
                .replace("</trace>", "<event><string key=\"concept:name\" value=\"@SUM(1)\"/>"
                        + "<string key=\"org:group\" value=\"back-office\"/>"
                        + "<date key=\"time:timestamp\" value=\"2011-10-11T11:00:00.000+02:00\"/></event></trace>")
                + trace("+1+cmd", "register", "2011-10-11T10:00:00.000+02:00")
                + trace("-2+3", "register", "2011-10-11T10:00:00.000+02:00"));
        JsonNode report = JSON.readTree(upload("formulas.xes", log.getBytes(StandardCharsets.UTF_8), null));
        assertThat(report.path("casesImported").asLong()).as(report.toString()).isEqualTo(3);
        counted("spreadsheet formula in a CSV cell");
        String csv = await().atMost(Duration.ofSeconds(20)).until(
                () -> send("manager", "GET", "/api/evaluation/cases?from=2011-01-01&to=2011-12-31", null,
                           Map.of("Accept", "text/csv")).text(),
                text -> text.contains("HYPERLINK") && text.contains("cmd") && text.contains("2+3"));
        for (String line : csv.split("\r\n")) {
            for (String cell : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                String value = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertThat(value).as(line).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
                if (value.startsWith("-")) {
                    assertThat(value).as("only numbers may start with -: " + line).matches("-[0-9.]+");
                }
            }
        }
        assertThat(csv).contains("'=HYPERLINK", "'+1+cmd", "'-2+3", "'@SUM(1)");
        String evaluation = send("manager", "GET", "/api/evaluation?from=2011-01-01&to=2011-12-31&groupBy=unit", null,
                                 Map.of("Accept", "text/csv")).text();
        assertThat(evaluation).startsWith("unit,");
    }

    /**
     * Who may do what is decided on the request's path before Spring MVC picks a handler. A path spelled another way
     * (a trailing slash, a doubled or dot segment, an escaped letter, a path parameter, another case or suffix) must
     * never reach a handler the signed-in role may not reach: it is refused (401, 403, 400 or 404), nothing is
     * recorded, and the answer is problem+json.
     */
    @Test
    void givenAPathSpelledAnotherWay_whenARoleWithoutTheRightSendsIt_thenRefusedAndNothingRecorded() throws Exception {
        String caseId = openCase();
        List<String> spellings = List.of("{p}/", "{p}.json", "{p};x=1", "/{p}", "{p}/./", "{p}/x/..");
        List<String[]> forbidden = List.of(
                new String[]{"manager", "GET", "/api/admin/projections"},
                new String[]{"caseworker", "GET", "/api/admin/ledger/verification"},
                new String[]{"caseworker", "GET", "/api/evaluation/cases?from=2024-01-01&to=2024-12-31"},
                new String[]{"manager", "GET", "/api/cases/" + caseId},
                new String[]{"auditor", "POST", "/api/cases/" + caseId + "/contacts"},
                new String[]{"manager", "POST", "/api/cases"});
        List<String> spelledInside = List.of("/api/admin//projections", "/api/admin/./projections",
                                             "/api/admin/x/../projections", "/api/admin/%70rojections",
                                             "/api/%61dmin/projections", "/api/ADMIN/projections",
                                             "/api/admin/Projections", "/api/admin/%2e/projections",
                                             "/api/admin/%2fprojections", "/api/admin%2fprojections",
                                             "/api/admin/projections%00", "/api/admin/projections%20",
                                             "/api/admin;x=1/projections", "/api/./admin/projections");
        List<String[]> requests = new ArrayList<>();
        for (String[] endpoint : forbidden) {
            String path = endpoint[2].replaceFirst("\\?.*", "");
            String query = endpoint[2].substring(path.length());
            for (String spelling : spellings) {
                requests.add(new String[]{endpoint[0], endpoint[1], spelling.replace("{p}", path) + query});
            }
        }
        spelledInside.forEach(path -> requests.add(new String[]{"manager", "GET", path}));
        String contact = """
                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
                 "startedAt":"%s","endedAt":"%s"}""".formatted(at(5), at(15));
        List<String> failures = new ArrayList<>();
        long before = storedEvents();
        for (String[] request : requests) {
            counted("a path spelled another way");
            String body = request[1].equals("POST")
                    ? request[2].startsWith("/api/cases/") || request[2].startsWith("//api/cases/") ? contact
                    : openBody(uniqueCpr(), T0) : null;
            Answer answer = send(request[0], request[1], request[2], body, Map.of());
            if (!List.of(400, 401, 403, 404).contains(answer.status())
                    || !answer.contentType().startsWith("application/problem+json")) {
                failures.add(request[0] + " " + request[1] + " " + request[2] + " -> " + answer.status() + " "
                                     + answer.contentType() + " " + answer.text().substring(0, Math.min(200, answer.text().length())));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(storedEvents()).as("nothing recorded").isEqualTo(before);
    }

    // ---------------------------------------------------------------- the sweep

    /** Every endpoint with hostile values in path, query, headers and body: never 5xx, every 4xx problem+json. */
    @Test
    void givenHostileInputOnEveryEndpoint_whenSent_thenNever5xxAndEveryRefusalIsProblemJson() throws Exception {
        String caseId = openCase();
        List<String> hostile = List.of("", "%00", "%0d%0a", "0101701234", "%27%3B--", "..%2F..%2Fetc",
                                       "-999999999-01-01", "x".repeat(3000), "%ED%A0%80", "1e309", "%7B%7D");
        List<String[]> endpoints = List.of(
                new String[]{"caseworker", "GET", "/api/cases/{v}"},
                new String[]{"caseworker", "GET", "/api/cases/{v}/history"},
                new String[]{"caseworker", "GET", "/api/cases/" + caseId + "/contacts/{v}"},
                new String[]{"caseworker", "GET", "/api/cases?cpr={v}"},
                new String[]{"caseworker", "GET", "/api/cases?unit={v}&status={v}"},
                new String[]{"caseworker", "GET", "/api/cases?sourceRef={v}&offset={v}&limit={v}"},
                new String[]{"caseworker", "GET", "/api/cases/{v}/journey"},
                new String[]{"manager", "GET", "/api/evaluation?from={v}&to={v}"},
                new String[]{"manager", "GET", "/api/evaluation?from=2024-01-01&to=2024-12-31&groupBy={v}"},
                new String[]{"manager", "GET", "/api/evaluation?from=2024-01-01&to=2024-12-31&citizenGroup={v}"},
                new String[]{"manager", "GET", "/api/evaluation/cases?from=2024-01-01&to=2024-12-31&unit={v}"},
                new String[]{"manager", "GET", "/api/evaluation/comparison?from=2024-01-01&to=2024-12-31&changeDate={v}"},
                new String[]{"manager", "GET", "/api/evaluation/process-map?from=2024-01-01&to=2024-12-31&level={v}"},
                new String[]{"auditor", "GET", "/api/audit/cases/" + caseId + "?asOf={v}"},
                new String[]{"auditor", "GET", "/api/audit/cases/" + caseId + "?asOf=2024-03-05T12:00:00Z&basis={v}"},
                new String[]{"auditor", "GET", "/api/audit/cases/{v}/verification"},
                new String[]{"auditor", "GET", "/api/audit/access-log?cpr={v}"},
                new String[]{"admin", "GET", "/api/imports/{v}"},
                new String[]{"admin", "GET", "/api/admin/projections/{v}/rebuilds/{v}"},
                new String[]{"admin", "POST", "/api/admin/projections/{v}/rebuilds"},
                new String[]{"manager", "GET", "/api/exports/xes?from={v}&to={v}"},
                new String[]{"manager", "GET", "/api/exports/ocel?from={v}&to={v}"},
                new String[]{"caseworker", "POST", "/api/cases/{v}/contacts"},
                new String[]{"caseworker", "POST", "/api/cases/{v}/corrections"});
        List<String> failures = new ArrayList<>();
        for (String[] endpoint : endpoints) {
            for (String value : hostile) {
                counted("hostile value in a path or query");
                String path = endpoint[2].replace("{v}", value.startsWith("%") || value.isEmpty() ? value
                        : URLEncoder.encode(value, StandardCharsets.UTF_8));
                String body = endpoint[1].equals("POST") ? "{}" : null;
                check(failures, endpoint[0], endpoint[1], path, body, Map.of());
            }
        }
        // Hostile bodies and headers on every write.
        List<String> bodies = List.of("", "null", "[]", "\"x\"", "{", "{\"a\":" + "[".repeat(5000), "{\"occurredAt\":{}}",
                                      "{\"unit\":[1,2]}", "{\"score\":1e400}", "{\"score\":99999999999999999999}",
                                      "\uFEFF{}", "{\"cpr\":\"\\u0000\"}");
        for (String collection : List.of("", "/" + caseId + "/contacts", "/" + caseId + "/corrections")) {
            for (String body : bodies) {
                counted("hostile JSON body");
                check(failures, "caseworker", "POST", "/api/cases" + collection, body, Map.of());
            }
            for (Map<String, String> headers : List.of(Map.of("Idempotency-Key", "x".repeat(5000)),
                                                       Map.of("Idempotency-Key", "\u00e6\u00f8\u00e5"),
                                                       Map.of("Content-Type", "application/xml"),
                                                       Map.of("Content-Type", "text/plain; charset=klingon"),
                                                       Map.of("Accept", "text/csv"),
                                                       Map.of("Accept", "application/problem+json"),
                                                       Map.of("X-Purpose", "x".repeat(10_000)))) {
                counted("hostile header");
                check(failures, "caseworker", "POST", "/api/cases" + collection, "{}", headers);
            }
        }
        assertThat(failures).isEmpty();
    }

    private void check(List<String> failures, String user, String method, String path, String body,
                       Map<String, String> headers) {
        try {
            long started = System.nanoTime();
            Answer answer = send(user, method, path, body, headers);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 2000) {
                // Not an assertion (the machine may be loaded): a hint where a request costs too much.
                System.out.println("slow request: " + millis + " ms: " + method + " "
                        + path.substring(0, Math.min(120, path.length())) + " " + headers.keySet());
            }
            if (answer.status() >= 500) {
                failures.add(method + " " + path + " " + headers + " -> " + answer.status() + " " + answer.text());
            } else if (answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json")) {
                failures.add(method + " " + path + " " + headers + " -> " + answer.status() + " as "
                                     + answer.contentType() + ": " + answer.text());
            }
        } catch (IllegalArgumentException unsendable) {
            // The JDK client refuses to send some values (e.g. a header with non-ASCII): nothing to check.
        } catch (IOException | InterruptedException e) {
            failures.add(method + " " + path + " -> " + e);
        }
    }
}
