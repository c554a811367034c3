package dk.casejourney.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole journey over real HTTP with every logger at DEBUG: the citizen's CPR number appears nowhere in
 * the output, in either of its written forms, not even when requests are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.level.root=DEBUG",
        // The test's own HTTP client is not the ledger; its wire log would show what the test sends.
        "logging.level.jdk.internal.httpclient=INFO",
        "spring.datasource.url=jdbc:h2:mem:ledger-logs;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"})
// Closed after the class: Spring Boot keeps a cached context's logging set-up (root at DEBUG, JSON) for every later
// context in the same JVM, which then logs hundreds of MB and runs minutes slower.
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class NoPersonalDataInLogsTest {

    private static final String CPR = "2906841357";
    private static final String DASHED = "290684-1357";
    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    @LocalServerPort
    private int port;
    /** The JDK's client: it logs nothing, so all output comes from the ledger. */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aWholeJourneyLeavesNoCprNumberInTheLogs(CapturedOutput output) throws Exception {
        String opened = send("caseworker", "POST", "/api/cases", """
                {"cpr":"%s","citizenGroup":"SOCIALLY_VULNERABLE","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"IN_PERSON","unit":"citizen-service-north","occurredAt":"%s"}""".formatted(DASHED, T0), 201);
        String caseId = field(opened, "caseId");
        String cases = "/api/cases/" + caseId;
        send("caseworker", "POST", cases + "/contacts", """
                {"channel":"IN_PERSON","direction":"INBOUND","unit":"citizen-service-north","purpose":"APPLICATION",
                 "queuedAt":"%s","startedAt":"%s","endedAt":"%s"}""".formatted(at(1), at(5), at(15)), 201);
        send("caseworker", "POST", cases + "/information-requests", """
                {"informationType":"INCOME","unit":"citizen-service-north","occurredAt":"%s"}""".formatted(at(16)), 201);
        send("caseworker", "POST", cases + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"citizen-service-north","occurredAt":"%s"}"""
                .formatted(at(30)), 201);
        send("caseworker", "POST", cases + "/handovers", """
                {"fromUnit":"citizen-service-north","toUnit":"pension-office","reason":"AUTHORITY_ELSEWHERE",
                 "occurredAt":"%s"}""".formatted(at(40)), 201);
        send("caseworker", "POST", cases + "/work", """
                {"unit":"pension-office","activity":"assessment","startedAt":"%s","endedAt":"%s"}"""
                .formatted(at(50), at(80)), 201);
        send("caseworker", "POST", cases + "/decisions", """
                {"outcome":"GRANTED","unit":"pension-office","occurredAt":"%s"}""".formatted(at(90)), 201);
        send("caseworker", "POST", cases + "/resolution", """
                {"unit":"pension-office","occurredAt":"%s"}""".formatted(at(91)), 201);
        send("caseworker", "POST", cases + "/satisfaction", """
                {"score":5,"channel":"PHONE","occurredAt":"%s"}""".formatted(at(100)), 201);
        await().atMost(Duration.ofSeconds(20)).until(() -> send("caseworker", "GET", cases, null, -1).contains(CPR));
        send("auditor", "GET", cases + "/history", null, 200);
        send("caseworker", "GET", "/api/cases?cpr=" + CPR, null, 200);
        send("caseworker", "GET", "/api/cases?cpr=" + DASHED, null, 200);
        // Refusals: a wrong body, a second opening with the same key, a role that may not, no credentials.
        send("caseworker", "POST", "/api/cases", """
                {"cpr":"%s","citizenGroup":"NOBODY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"IN_PERSON","unit":"citizen-service-north","occurredAt":"%s"}""".formatted(CPR, T0), 400);
        send("caseworker", "POST", "/api/cases", """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"IN_PERSON","unit":"citizen-service-north","occurredAt":"2099-01-01T00:00:00Z"}"""
                .formatted(CPR), 400);
        send("caseworker", "POST", "/api/cases", """
                {"cpr":"%s ","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"IN_PERSON","unit":"citizen-service-north","occurredAt":"%s"}""".formatted(DASHED, T0), 400);
        send("admin", "POST", "/api/citizens/erasures", "{\"cpr\":\"" + CPR + "0\"}", 400);
        send("manager", "GET", "/api/cases?cpr=" + CPR, null, 403);
        send(null, "GET", "/api/cases?cpr=" + CPR, null, 401);
        send("admin", "POST", "/api/citizens/erasures", "{\"cpr\":\"" + DASHED + "\"}", 200);
        send("admin", "POST", "/api/citizens/erasures", "{\"cpr\":\"" + CPR + "\"}", 409);

        String all = output.getAll();
        assertThat(all).as("the capture holds the DEBUG output").contains("DEBUG");
        assertThat(leaks(all)).isEmpty();
    }

    /**
     * Issue 12 item 5: a CPR number typed where it does not belong (free text, identifiers, an idempotency key, a
     * case id, an imported trace name, the X-Purpose header, a malformed header) is refused or masked: it shows
     * up in no log line at DEBUG, in no event metadata and in no access-log entry.
     */
    @Test
    void givenACprNumberThroughEverySideDoor_whenSent_thenNoLogLineMetadataOrAccessLogShowsIt(CapturedOutput output)
            throws Exception {
        String opened = send("caseworker", "POST", "/api/cases", """
                {"cpr":"0101701234","citizenGroup":"OTHER","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"PHONE","unit":"contact-center","occurredAt":"%s"}""".formatted(T0), 201);
        String cases = "/api/cases/" + field(opened, "caseId");
        // Reads come from the case-views projection, which follows the ledger: wait until it shows the case.
        await().atMost(Duration.ofSeconds(20)).until(() -> send("caseworker", "GET", cases, null, -1).contains("\"citizenGroup\""));
        for (String cpr : new String[]{CPR, DASHED}) {
            send("caseworker", "POST", cases + "/work", """
                    {"unit":"contact-center","activity":"called %s","startedAt":"%s","endedAt":"%s"}"""
                    .formatted(cpr, at(1), at(2)), 400);
            send("caseworker", "POST", cases + "/work", """
                    {"unit":"contact-center","staffId":"%s","activity":"call","startedAt":"%s","endedAt":"%s"}"""
                    .formatted(cpr, at(1), at(2)), 400);
            send("caseworker", "POST", cases + "/decisions", """
                    {"outcome":"GRANTED","unit":"unit %s","occurredAt":"%s"}""".formatted(cpr, at(3)), 400);
            send("caseworker", "POST", cases + "/handovers", """
                    {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","note":"re %s",
                     "occurredAt":"%s"}""".formatted(cpr, at(3)), 400);
            send("caseworker", "POST", cases + "/corrections", """
                    {"correctedEntryId":"x","reason":"citizen %s","voidEntry":true,"occurredAt":"%s"}"""
                    .formatted(cpr, at(3)), 400);
            sendWith("caseworker", "POST", cases + "/decisions", """
                    {"outcome":"GRANTED","unit":"contact-center","occurredAt":"%s"}""".formatted(at(3)),
                     "Idempotency-Key", "key-" + cpr, 400);
            send("caseworker", "GET", "/api/cases/" + cpr, null, 400);
            send("caseworker", "GET", "/api/cases/" + cpr + "/history", null, 400);
            send("caseworker", "POST", "/api/cases/" + cpr + "/contacts", "{}", 400);
            send("caseworker", "GET", "/api/cases?sourceRef=" + cpr, null, 400);
            send("caseworker", "GET", "/api/cases?unit=" + cpr, null, 400);
            sendWith("caseworker", "GET", cases, null, "X-Purpose", "asked by citizen " + cpr, 200);
        }
        // An imported trace named by a CPR number.
        String boundary = "side-door";
        String xes = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log xes.version="1.0" xmlns="http://www.xes-standard.org/">
                  <trace><string key="concept:name" value="%s"/>
                    <event><string key="concept:name" value="register"/>
                      <date key="time:timestamp" value="2011-10-11T10:00:00.000+02:00"/></event></trace>
                </log>""".formatted(CPR);
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"log.xes\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + xes + "\r\n--" + boundary + "--\r\n";
        String report = sendWith("admin", "POST", "/api/imports", multipart, "Content-Type",
                                 "multipart/form-data; boundary=" + boundary, 201);
        assertThat(report).contains("\"casesImported\":0").doesNotContain(CPR);
        // A malformed X-Purpose header (a control character in it), written on the wire as it comes.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + cases + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Basic Y2FzZXdvcmtlcjpjYXNld29ya2Vy\r\nX-Purpose: \u0001" + DASHED
                    + "\u0007\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.getInputStream().readAllBytes();
        }

        assertThat(leaks(output.getAll())).isEmpty();
        for (String table : new String[]{"SELECT CAST(meta_data AS VARCHAR) FROM domain_event_entry",
                                         "SELECT COALESCE(purpose, '') || ' ' || criteria FROM access_log"}) {
            java.util.List<String> stored = jdbc.sql(table).query(String.class).list();
            assertThat(stored).as(table).isNotEmpty();
            assertThat(String.join("\n", stored)).as(table).doesNotContainPattern("290684\\D{0,3}1357");
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private String sendWith(String user, String method, String path, String body, String header, String value,
                            int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                                 .timeout(Duration.ofSeconds(20))
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(body))
                                                 .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                                         (user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        if (body != null && !header.equals("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        request.header(header, value);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path.replace(CPR, "<cpr>").replace(DASHED, "<cpr>")
                                                 + " " + header).isEqualTo(expected);
        return response.body();
    }

    /** Lines showing the number, 10 digits or DDMMYY-XXXX, also inside percent-encoded or split text. */
    private static java.util.List<String> leaks(String output) {
        Pattern number = Pattern.compile("290684\\D{0,3}1357");
        return output.lines().filter(line -> number.matcher(line).find()).limit(20).toList();
    }

    private static String at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes)).toString();
    }

    private String send(String user, String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                                 .timeout(Duration.ofSeconds(20))
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                                                            .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected >= 0) {
            assertThat(response.statusCode()).as(method + " " + path.replace(CPR, "<cpr>").replace(DASHED, "<cpr>"))
                                             .isEqualTo(expected);
        }
        return response.body();
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
