package dk.casejourney.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure is final against the files: the embedded product, a process of its own, records two citizens, erases
 * one and is killed with SIGKILL the moment the erasure is acknowledged. Then every file under its data
 * directory and its log are scanned for the erased CPR number in every encoding we could think of, for
 * anything computable from it (its keyed hash), for the citizen's data key (raw and wrapped) and for the
 * key-encryption key: none may be found. The other citizen's wrapped key must still be found, so the scan is
 * shown to see keys where they are.
 */
class ErasureAfterKillTest {

    private static final String KEK = Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII));
    private static final String SECRET = "a-test-pseudonym-secret-0123456789";
    private static final String ERASED_CPR = "0101701234";
    private static final String KEPT_CPR = "0202802345";
    private static final String AUTH_CASEWORKER = basic("caseworker");
    private static final String AUTH_ADMIN = basic("admin");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process ledger;

    @TempDir
    Path root;

    @AfterEach
    void stop() throws Exception {
        if (ledger != null) {
            ledger.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void givenAnErasureAcknowledged_whenTheProcessIsKilledAtOnce_thenNoFileYieldsTheNumberOrAKeyToIt()
            throws Exception {
        Path dataDir = root.resolve("data");
        Path output = root.resolve("ledger-output.log");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LedgerApplication.class.getName(),
                "--server.port=" + port, "--ledger.data-dir=" + dataDir,
                "--logging.file.name=" + dataDir.resolve("logs/ledger.log"),
                "--logging.level.dk.casejourney=DEBUG", "--spring.main.banner-mode=off",
                "--ledger.processors.initial-segment-count=1")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("LEDGER_PRIVACY_KEYENCRYPTIONKEYS_TEST", KEK);
        builder.environment().put("LEDGER_PRIVACY_PSEUDONYMSECRET", SECRET);
        ledger = builder.start();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!ledger.isAlive()) {
                List<String> lines = Files.readAllLines(output);
                throw new AssertionError("the ledger process ended: "
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            return up(base);
        });

        String erasedCase = openCase(base, ERASED_CPR);
        String keptCase = openCase(base, KEPT_CPR);
        String erasedPseudonym = await().atMost(Duration.ofSeconds(30))
                                        .until(() -> caseView(base, erasedCase), view -> view != null)
                                        .get("citizenPseudonym").asText();
        String keptPseudonym = await().atMost(Duration.ofSeconds(30))
                                      .until(() -> caseView(base, keptCase), view -> view != null)
                                      .get("citizenPseudonym").asText();
        send(base + "/api/cases?cpr=" + ERASED_CPR, AUTH_CASEWORKER, null);
        KeyEncryptionKeys keks = new KeyEncryptionKeys(Map.of("test", KEK), null);
        JsonNode erasedKeyFile = json.readTree(dataDir.resolve("citizen-keys/" + erasedPseudonym + ".key").toFile());
        JsonNode storedKey = erasedKeyFile.get("keys").get(0);
        byte[] wrapped = Base64.getDecoder().decode(storedKey.get("wrapped").asText());
        byte[] dataKey = keks.unwrap(storedKey.get("keyId").asText(),
                                     new KeyEncryptionKeys.Wrapped(storedKey.get("kekId").asText(), wrapped));
        String keptWrapped = json.readTree(dataDir.resolve("citizen-keys/" + keptPseudonym + ".key").toFile())
                                 .get("keys").get(0).get("wrapped").asText();

        HttpResponse<String> erasure = send(base + "/api/citizens/erasures", AUTH_ADMIN,
                                            "{\"cpr\":\"" + ERASED_CPR + "\"}");
        ledger.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        assertThat(erasure.statusCode()).as(erasure.body()).isEqualTo(200);

        Map<String, byte[]> forbidden = new LinkedHashMap<>();
        String dashed = ERASED_CPR.substring(0, 6) + "-" + ERASED_CPR.substring(6);
        for (String text : List.of(ERASED_CPR, dashed)) {
            forbidden.put("cpr " + text + " (ASCII)", text.getBytes(StandardCharsets.US_ASCII));
            forbidden.put("cpr " + text + " (UTF-16LE)", text.getBytes(StandardCharsets.UTF_16LE));
            forbidden.put("cpr " + text + " (UTF-16BE)", text.getBytes(StandardCharsets.UTF_16BE));
            forbidden.put("cpr " + text + " (hex)", HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII))
                                                             .getBytes(StandardCharsets.US_ASCII));
            forbidden.put("cpr " + text + " (base64)", base64Core(text.getBytes(StandardCharsets.US_ASCII)));
        }
        forbidden.put("cpr as a number (8 bytes)", java.nio.ByteBuffer.allocate(8).putLong(Long.parseLong(ERASED_CPR))
                                                                      .array());
        forbidden.put("keyed hash of the cpr", new Pseudonymizer(SECRET).pseudonymOf(ERASED_CPR)
                                                                       .getBytes(StandardCharsets.US_ASCII));
        forbidden.put("data key (raw)", dataKey);
        forbidden.put("data key (base64)", base64Core(dataKey));
        forbidden.put("data key (hex)", HexFormat.of().formatHex(dataKey).getBytes(StandardCharsets.US_ASCII));
        forbidden.put("wrapped data key (raw)", wrapped);
        forbidden.put("wrapped data key (base64)", base64Core(wrapped));
        forbidden.put("key-encryption key (raw)", Base64.getDecoder().decode(KEK));
        forbidden.put("key-encryption key (base64)", KEK.getBytes(StandardCharsets.US_ASCII));
        byte[] control = base64Core(Base64.getDecoder().decode(keptWrapped));

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        files.add(output);
        List<String> hits = new ArrayList<>();
        long bytes = 0;
        int controlHits = 0;
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            bytes += content.length;
            for (Map.Entry<String, byte[]> pattern : forbidden.entrySet()) {
                int count = occurrences(content, pattern.getValue());
                if (count > 0) {
                    hits.add(root.relativize(file) + ": " + pattern.getKey() + " x" + count);
                }
            }
            controlHits += occurrences(content, control);
        }
        System.out.printf("erasure + kill -9: %d files scanned (%,d bytes), %d patterns, %d hits %s; the other "
                                  + "citizen's wrapped key found %d times%n",
                          files.size(), bytes, forbidden.size(), hits.size(), hits, controlHits);
        assertThat(files).as("the database, the key store and the log were scanned")
                         .anyMatch(file -> file.toString().endsWith(".mv.db"))
                         .anyMatch(file -> file.toString().endsWith(".key"))
                         .anyMatch(file -> file.toString().endsWith("ledger.log"));
        assertThat(controlHits).as("the scan sees a key where one is kept").isPositive();
        assertThat(hits).isEmpty();
    }

    private String openCase(String base, String cpr) throws Exception {
        HttpResponse<String> response = send(base + "/api/cases", AUTH_CASEWORKER, """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"PHONE","unit":"contact-center","occurredAt":"2024-03-01T09:00:00Z"}""".formatted(cpr));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("caseId").asText();
    }

    private JsonNode caseView(String base, String caseId) throws Exception {
        HttpResponse<String> response = send(base + "/api/cases/" + caseId, AUTH_CASEWORKER, null);
        return response.statusCode() == 200 ? json.readTree(response.body()) : null;
    }

    private boolean up(String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                             HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private HttpResponse<String> send(String uri, String auth, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Authorization", auth);
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    /** The value base64-encoded on its own, without the last, padding-dependent characters. */
    private static byte[] base64Core(byte[] value) {
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(value);
        return encoded.substring(0, encoded.length() - 2).getBytes(StandardCharsets.US_ASCII);
    }

    private static int occurrences(byte[] content, byte[] pattern) {
        int count = 0;
        outer:
        for (int i = 0; i <= content.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (content[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }
}
