package dk.casejourney.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JSON log option (the json-logs profile: ECS, one object a line) at DEBUG: a request's id is in the
 * log lines of the request and of the command and event handling it caused, and no CPR number is in any field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.profiles.active=json-logs",
        "logging.level.root=DEBUG",
        // The test's own HTTP client is not the ledger; its wire log would show what the test sends.
        "logging.level.jdk.internal.httpclient=INFO",
        "spring.datasource.url=jdbc:h2:mem:ledger-json-logs;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"})
// Closed after the class: Spring Boot keeps a cached context's logging set-up (root at DEBUG, JSON) for every later
// context in the same JVM, which then logs hundreds of MB and runs minutes slower.
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "2906841357";
    private static final Pattern ANY_FORM = Pattern.compile("290684\\D{0,3}1357");

    /**
     * Spring Boot sets logging up once per JVM while a context that did so is open: with another test's context
     * cached here, this one's json-logs profile would not be applied (seen: no JSON line at all when the suite ran
     * OperationsHttpTest first). Marked as not set up, this context sets it up as its profile says.
     */
    @BeforeAll
    static void loggingSetUpByThisContext() {
        LoggingSystem.get(JsonLogsTest.class.getClassLoader()).cleanUp();
    }

    /**
     * Before this context closes: logging as a context without the profile sets it up (plain lines, INFO), for
     * contexts cached before this one and used again after it, which would otherwise log JSON at DEBUG.
     */
    @AfterAll
    static void plainLoggingForCachedContexts() {
        LoggingSystem logging = LoggingSystem.get(JsonLogsTest.class.getClassLoader());
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    @LocalServerPort
    private int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void givenJsonLogsAtDebug_whenACaseIsRecorded_thenItsLinesCarryTheRequestIdAndNoCprNumber(CapturedOutput output)
            throws Exception {
        String requestId = "json-logs-0001";
        HttpResponse<String> opened = send("POST", "/api/cases", requestId, """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"IN_PERSON","unit":"citizen-service-north","occurredAt":"2024-03-01T09:00:00Z"}"""
                .formatted(CPR));
        assertThat(opened.statusCode()).isEqualTo(201);
        String caseId = JSON.readTree(opened.body()).get("caseId").asText();
        await().atMost(Duration.ofSeconds(30))
               .until(() -> send("GET", "/api/cases/" + caseId, "json-logs-0002", null).statusCode() == 200);
        send("GET", "/api/cases?cpr=" + CPR, "json-logs-0003", null);
        send("POST", "/api/cases", "json-logs-0004", "{\"cpr\":\"" + CPR + "x\"}");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getAll().lines().toList()) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).as("JSON log lines").hasSizeGreaterThan(50);
        assertThat(lines).anySatisfy(line -> assertThat(line.at("/log/level").asText()).isEqualTo("DEBUG"));
        List<JsonNode> ofRequest = lines.stream().filter(line -> requestId.equals(line.path("traceId").asText()))
                                        .toList();
        assertThat(ofRequest).as("lines of the request").isNotEmpty();
        assertThat(ofRequest.stream().map(line -> line.at("/process/thread/name").asText()).distinct())
                .as("the request's id also in the lines of the processors that handled its events")
                .anyMatch(thread -> thread.contains("case-views") || thread.contains("journey-figures"));
        assertThat(output.getAll().lines().filter(line -> ANY_FORM.matcher(line).find()).limit(5).toList())
                .isEmpty();
    }

    private HttpResponse<String> send(String method, String path, String requestId, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Request-Id", requestId)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("caseworker:caseworker".getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
