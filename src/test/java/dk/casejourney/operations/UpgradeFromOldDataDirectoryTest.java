package dk.casejourney.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A data directory written by an earlier release (src/test/resources/operations/upgrade: the H2 file zipped, the
 * answers that release gave in expected.json, the script that made both and release.txt naming the release)
 * starts on this release: Flyway migrates the read-model schema, and every case's view, history and journey
 * figures, the evaluation and the chain verification answer as they did. Fields a later release added are
 * allowed; every field the old release answered must be there with the same value.
 */
class UpgradeFromOldDataDirectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE = "/operations/upgrade/";

    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext ledger;
    private static String base;
    private static JsonNode expected;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startOnTheOldDataDirectory() throws IOException {
        try (InputStream zip = UpgradeFromOldDataDirectoryTest.class.getResourceAsStream(FIXTURE + "ledger-data.zip");
             ZipInputStream entries = new ZipInputStream(zip)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Files.copy(entries, dataDir.resolve(Path.of(entry.getName()).getFileName()));
            }
        }
        try (InputStream json = UpgradeFromOldDataDirectoryTest.class.getResourceAsStream(FIXTURE + "expected.json")) {
            expected = JSON.readTree(json);
        }
        ledger = new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off",
                     "--logging.level.root=WARN");
        base = "http://127.0.0.1:" + ledger.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void givenAnOldReleasesDataDirectory_whenThisReleaseStartsOnIt_thenEveryCaseAndFigureIsIntact() throws Exception {
        assertThat(expected.get("cases")).hasSizeGreaterThanOrEqualTo(6);
        await().atMost(Duration.ofSeconds(60)).until(() -> !get("admin", "/api/admin/projections").toString()
                .matches(".*\"lag\":[1-9].*"));
        List<String> differences = new ArrayList<>();
        for (JsonNode kase : expected.get("cases")) {
            String caseId = kase.get("caseId").asText();
            compare("view of " + caseId, kase.get("view"), get("caseworker", "/api/cases/" + caseId), differences);
            compare("history of " + caseId, kase.get("history"), get("caseworker", "/api/cases/" + caseId + "/history"),
                    differences);
            compare("journey of " + caseId, kase.get("journey"), get("caseworker", "/api/cases/" + caseId + "/journey"),
                    differences);
        }
        compare("evaluation", expected.get("evaluation"),
                get("manager", "/api/evaluation?from=2024-01-01&to=2024-12-31&groupBy=citizenGroup"), differences);
        JsonNode verification = get("admin", "/api/admin/ledger/verification");
        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("casesChecked")).isEqualTo(expected.at("/verification/casesChecked"));
        assertThat(verification.get("eventsChecked")).isEqualTo(expected.at("/verification/eventsChecked"));
        assertThat(differences).isEmpty();
    }

    /** Every field the old release answered, with the same value; the moment of answering ({@code asOf}) aside. */
    private static void compare(String path, JsonNode old, JsonNode now, List<String> differences) {
        if (old.isObject()) {
            if (!now.isObject()) {
                differences.add(path + ": was an object, now " + now);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = old.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("asOf")) {
                    continue;
                }
                JsonNode current = now.get(field.getKey());
                if (current == null) {
                    differences.add(path + "." + field.getKey() + ": missing");
                } else {
                    compare(path + "." + field.getKey(), field.getValue(), current, differences);
                }
            }
        } else if (old.isArray()) {
            if (!now.isArray() || now.size() != old.size()) {
                differences.add(path + ": " + old.size() + " elements, now " + now);
                return;
            }
            for (int i = 0; i < old.size(); i++) {
                compare(path + "[" + i + "]", old.get(i), now.get(i), differences);
            }
        } else if (!old.equals(now)) {
            differences.add(path + ": " + old + ", now " + now);
        }
    }

    private JsonNode get(String user, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                                         .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                                 (user + ":" + user).getBytes(StandardCharsets.UTF_8)))
                                         .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
