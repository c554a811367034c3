package dk.casejourney.importexport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.common.Identifiers;
import dk.casejourney.importexport.xes.XesReader;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesTraceIterator;
import dk.casejourney.importexport.xes.XesValue;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryChanges;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordSatisfactionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ReopenCaseCommand;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every export holds exactly the cases the evaluation counts for the same criteria, whole: cases longer than the
 * snapshot threshold (lowered to 5 here, so every case below has snapshots), with every kind of entry, a
 * correction and a voided entry, and an activity holding U+0000 already stored in the ledger. An export that
 * cannot be completed is aborted, never a shorter file that looks whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = "ledger.snapshots.event-threshold=5")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportCompletenessTest {

    private static final String PERIOD = "from=2024-03-01&to=2024-03-31";
    private static final Instant T0 = Instant.parse("2024-03-04T08:00:00Z");
    /** Entries each journey below leaves in an export: voided ones, corrections and satisfaction are not steps. */
    private static final int EXPORTED_PER_CASE = 11;
    private static final ObjectMapper JSON = new ObjectMapper();

    // Not @TempDir: with one test instance per class, Spring reads the property before JUnit fills that in.
    static final Path dataDir = temporaryDirectory();

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("export-completeness");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", () -> dataDir.toString());
    }

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> inPeriod = new ArrayList<>();
    private String nulCase;

    @BeforeAll
    void recordJourneys() {
        for (int i = 0; i < 8; i++) {
            inPeriod.add(journey(T0.plus(Duration.ofDays(i))));
        }
        journey(Instant.parse("2024-05-06T08:00:00Z")); // outside the period: in no export below
        nulCase = inPeriod.get(3);
        // An activity with U+0000, as the ledger may hold it from before input refused control characters.
        Map<String, Object> work = jdbc.sql("""
                SELECT event_identifier, payload FROM domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%WorkRecorded'""").param(nulCase)
                                       .query().singleRow();
        String payload = new String((byte[]) work.get("payload"), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"assess income\"");
        jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?")
            .params(payload.replace("\"assess income\"", "\"assess\\u0000income\"").getBytes(StandardCharsets.UTF_8),
                    work.get("event_identifier")).update();
        await().atMost(Duration.ofSeconds(30)).until(() -> caseIds(json("/api/evaluation/cases?" + PERIOD))
                .size() == inPeriod.size());
    }

    private String journey(Instant t) {
        String caseId = Identifiers.random();
        String contact = id();
        String voided = id();
        String request = id();
        List<CaseCommand> steps = List.of(
                new OpenCaseCommand(caseId, id(), "0101701234", CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                    "101", Channel.PHONE, "KBH-KC", t, null, null),
                new RecordContactCommand(caseId, contact, Channel.PHONE, Direction.INBOUND, "KBH-KC", "cc-1",
                                         ContactPurpose.APPLICATION, t, t.plusSeconds(60), t.plusSeconds(600)),
                new RequestInformationCommand(caseId, request, InformationType.INCOME, null, "KBH-KC",
                                              at(t, 20)),
                new HandOverCaseCommand(caseId, id(), "KBH-KC", "BACK-HB", HandoverReason.NEEDS_EXPERTISE, null,
                                        at(t, 30)),
                new ProvideInformationCommand(caseId, id(), InformationType.INCOME, Channel.EMAIL, "BACK-HB",
                                              request, at(t, 40)),
                new RecordWorkCommand(caseId, id(), "BACK-HB", "bo-3", "assess income", at(t, 50), at(t, 55), null,
                                      Map.of()),
                new RecordContactCommand(caseId, voided, Channel.LETTER, Direction.OUTBOUND, "BACK-HB", null,
                                         ContactPurpose.DOCUMENTATION, null, at(t, 56), at(t, 56)),
                new RecordDecisionCommand(caseId, id(), DecisionOutcome.GRANTED, "BACK-HB", at(t, 60)),
                new CorrectEntryCommand(caseId, id(), contact, "another team took it",
                                        new EntryChanges(null, null, null, "cc-2", null, null, null, null, null, null,
                                                         null, null, null), false, at(t, 61)),
                new CorrectEntryCommand(caseId, id(), voided, "recorded in error", null, true, at(t, 62)),
                new ResolveCaseCommand(caseId, id(), "BACK-HB", at(t, 70)),
                new ReopenCaseCommand(caseId, id(), ReopenReason.COMPLAINT, "BACK-HB", at(t, 80)),
                new RecordContactCommand(caseId, id(), Channel.SELF_SERVICE, Direction.INBOUND, "BACK-HB", null,
                                         ContactPurpose.COMPLAINT, null, at(t, 81), at(t, 82)),
                new ResolveCaseCommand(caseId, id(), "BACK-HB", at(t, 90)),
                new RecordSatisfactionCommand(caseId, id(), 4, Channel.SELF_SERVICE, at(t, 91)));
        steps.forEach(commands::sendAndWait);
        return caseId;
    }

    private static Instant at(Instant t, int minutes) {
        return t.plus(Duration.ofMinutes(minutes));
    }

    private static String id() {
        return Identifiers.random();
    }

    private HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString("auditor:auditor".getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                    .header("Authorization", "Basic " + credentials).header("Accept", accept)
                                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(path, "application/json");
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Set<String> caseIds(JsonNode cases) {
        Set<String> ids = new HashSet<>();
        cases.path("cases").forEach(c -> ids.add(c.path("caseId").asText()));
        return ids;
    }

    @Test
    @Order(1)
    void givenLongCasesWithSnapshotsAndEveryKindOfEntry_whenExported_thenXesOcelAndCsvHoldExactlyTheEvaluatedCases()
            throws Exception {
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT aggregate_identifier) FROM snapshot_event_entry")
                       .query(Long.class).single()).as("every case is long enough to have a snapshot")
                .isGreaterThanOrEqualTo(inPeriod.size());
        JsonNode evaluation = json("/api/evaluation?" + PERIOD);
        long counted = 0;
        for (JsonNode group : evaluation.path("groups")) {
            counted += group.path("cases").asLong();
        }
        assertThat(counted).isEqualTo(inPeriod.size());
        assertThat(caseIds(json("/api/evaluation/cases?" + PERIOD))).containsExactlyInAnyOrderElementsOf(inPeriod);

        String csv = new String(get("/api/evaluation/cases?" + PERIOD, "text/csv").body(), StandardCharsets.UTF_8);
        Set<String> csvCases = new HashSet<>();
        csv.lines().skip(1).forEach(line -> csvCases.add(line.substring(0, line.indexOf(','))));
        assertThat(csvCases).containsExactlyInAnyOrderElementsOf(inPeriod);

        HttpResponse<byte[]> xes = get("/api/exports/xes?" + PERIOD, "application/xml");
        assertThat(xes.statusCode()).isEqualTo(200);
        Map<String, XesTrace> traces = new LinkedHashMap<>();
        try (XesTraceIterator read = new XesReader().open(new ByteArrayInputStream(xes.body()))) {
            read.forEachRemaining(trace -> traces.put(
                    ((XesValue.StringValue) trace.attributes().get("case:id")).value(), trace));
        }
        assertThat(traces.keySet()).containsExactlyInAnyOrderElementsOf(inPeriod);
        traces.values().forEach(trace -> assertThat(trace.events()).as(trace.name()).hasSize(EXPORTED_PER_CASE));
        List<String> activities = new ArrayList<>();
        traces.values().forEach(trace -> trace.events().forEach(event -> activities.add(event.activity())));
        assertThat(activities).contains("assess\uFFFDincome").doesNotContain("assess\u0000income");
        assertThat(activities.stream().filter(a -> a.startsWith("assess"))).hasSize(inPeriod.size());

        JsonNode ocel = JSON.readTree(get("/api/exports/ocel?" + PERIOD, "application/json").body());
        Set<String> ocelCases = new HashSet<>();
        ocel.path("objects").forEach(o -> {
            if (o.path("type").asText().equals("case")) {
                ocelCases.add(o.path("id").asText().substring("case:".length()));
            }
        });
        assertThat(ocelCases).containsExactlyInAnyOrderElementsOf(inPeriod);
        Map<String, Integer> ocelEvents = new HashMap<>();
        ocel.path("events").forEach(e -> e.path("relationships").forEach(r -> {
            if (r.path("qualifier").asText().equals("case")) {
                ocelEvents.merge(r.path("objectId").asText().substring("case:".length()), 1, Integer::sum);
            }
        }));
        assertThat(ocelEvents.keySet()).containsExactlyInAnyOrderElementsOf(inPeriod);
        assertThat(ocelEvents.values()).containsOnly(EXPORTED_PER_CASE);
    }

    @Test
    @Order(2)
    void givenAStoredEntryThatCannotBeRead_whenExported_thenTheTransferIsAbortedNotTruncatedSilently()
            throws Exception {
        String last = inPeriod.get(inPeriod.size() - 1);
        Map<String, Object> row = jdbc.sql("""
                SELECT event_identifier, payload FROM domain_event_entry
                WHERE aggregate_identifier = ? AND sequence_number = 3""").param(last).query().singleRow();
        jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?")
            .params("{\"unreadable\":".getBytes(StandardCharsets.UTF_8), row.get("event_identifier")).update();
        try {
            for (String path : List.of("/api/exports/xes?" + PERIOD, "/api/exports/ocel?" + PERIOD)) {
                Object outcome;
                try {
                    HttpResponse<byte[]> response = get(path, "*/*");
                    outcome = response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8).substring(
                                    Math.max(0, response.body().length - 200));
                } catch (IOException aborted) {
                    outcome = aborted;
                }
                assertThat(outcome).as(path).isInstanceOf(IOException.class);
            }
        } finally {
            jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?")
                .params(row.get("payload"), row.get("event_identifier")).update();
        }
        assertThat(get("/api/exports/xes?" + PERIOD, "application/xml").statusCode()).isEqualTo(200);
    }
}
