package dk.casejourney.importexport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import dk.casejourney.ReadModelsAtHead;
import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.common.Identifiers;
import dk.casejourney.evaluation.api.CaseFiguresList;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.FindCaseFiguresQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.ProcessMap;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Imports and exports over the real command path, projections and embedded store: the receipt log, importing
 * twice, broken files, the HTTP endpoints and the command line, and a round trip of everything (live journeys
 * and the imported log) through XES into a fresh ledger.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportExportLedgerTest {

    private static final Path RECEIPT = Path.of("../shared/data/receipt.xes.gz");
    private static final EvaluationCriteria RECEIPT_PERIOD =
            new EvaluationCriteria(LocalDate.of(2010, 1, 1), LocalDate.of(2013, 12, 31), Map.of(), List.of());
    private static final EvaluationCriteria LIVE_PERIOD =
            new EvaluationCriteria(LocalDate.of(2024, 4, 1), LocalDate.of(2024, 4, 30), Map.of(), List.of());

    private static final EvaluationCriteria ALL =
            new EvaluationCriteria(LocalDate.of(1900, 1, 1), LocalDate.of(9999, 12, 30), Map.of(), List.of());

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", () -> dataDir.toString());
    }

    @Autowired
    LogImporter importer;
    @Autowired
    QueryGateway queries;
    @Autowired
    CommandGateway commands;
    @Autowired
    TestRestTemplate http;
    @Autowired
    ObjectMapper json;
    @Autowired
    ApplicationContext app;

    private ImportReport importFile(LogImporter into, Path file) throws Exception {
        return into.importLog(Identifiers.random(), file.getFileName().toString(),
                              () -> Files.newInputStream(file), Files.size(file), ImportMapping.defaults(), r -> { });
    }

    private static List<CaseFiguresList.CaseFigures> figures(QueryGateway gateway, EvaluationCriteria criteria) {
        return gateway.query(new FindCaseFiguresQuery(criteria), CaseFiguresList.class).join().cases();
    }

    private ResponseEntity<String> get(String user, String path, String accept) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth(user, user);
        headers.set(HttpHeaders.ACCEPT, accept);
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    private ResponseEntity<String> upload(String fileName, byte[] content, String mapping) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth("admin", "admin");
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        if (mapping != null) {
            HttpHeaders jsonPart = new HttpHeaders();
            jsonPart.setContentType(MediaType.APPLICATION_JSON);
            parts.add("mapping", new HttpEntity<>(mapping, jsonPart));
        }
        return http.exchange("/api/imports", HttpMethod.POST, new HttpEntity<>(parts, headers), String.class);
    }

    private static String xes(String traces) {
        return """
               <?xml version="1.0" encoding="UTF-8"?>
               <log xes.version="1.0" xmlns="http://www.xes-standard.org/">
                 <string key="concept:name" value="%s"/>
               %s</log>
               """.formatted("test-" + Identifiers.random(), traces);
    }

    private static String trace(String name, String... events) {
        StringBuilder out = new StringBuilder("  <trace>\n    <string key=\"concept:name\" value=\"" + name + "\"/>\n");
        for (String event : events) {
            out.append("    <event>\n").append(event).append("    </event>\n");
        }
        return out.append("  </trace>\n").toString();
    }

    private static String event(String activity, String group, String timestamp) {
        return "      <string key=\"concept:name\" value=\"" + activity + "\"/>\n"
                + "      <string key=\"org:group\" value=\"" + group + "\"/>\n"
                + "      <date key=\"time:timestamp\" value=\"" + timestamp + "\"/>\n";
    }

    @Test
    @Order(1)
    void receiptLogImportsWithItsCountsAndLeadTimes_andImportingItAgainDuplicatesNothing() throws Exception {
        ImportReport report = importFile(importer, RECEIPT);

        assertThat(report.status()).isEqualTo(ImportReport.Status.COMPLETED);
        assertThat(report.tracesRead()).isEqualTo(1434);
        assertThat(report.casesImported()).isEqualTo(1434);
        assertThat(report.eventsImported()).isEqualTo(8577);
        assertThat(report.skippedCount()).isZero();
        assertThat(report.bytesRead()).isEqualTo(Files.size(RECEIPT));

        ReadModelsAtHead.await(queries, Duration.ofSeconds(120));
        assertThat(figures(queries, RECEIPT_PERIOD)).hasSize(1434);
        Map<String, CaseFiguresList.CaseFigures> bySource = figures(queries, RECEIPT_PERIOD).stream()
                .collect(Collectors.toMap(CaseFiguresList.CaseFigures::sourceRef, Function.identity()));
        assertThat(bySource.values().stream().mapToLong(CaseFiguresList.CaseFigures::events).sum()).isEqualTo(8577);
        // Expected lead times computed outside the product with Python's xml.etree over the gzip file: per trace,
        // max(time:timestamp) - min(time:timestamp) with datetime.fromisoformat (offsets honoured), in ms.
        assertThat(bySource.get("case-10011").leadTimeMs()).isEqualTo(3_811_896_277L);
        assertThat(bySource.get("case-6241").leadTimeMs()).isEqualTo(10_485_481L);
        assertThat(bySource.get("case-9997").leadTimeMs()).isEqualTo(188_244L);
        assertThat(bySource.get("case-4601").leadTimeMs()).isEqualTo(23_832_541_524L);
        // case-10011: Group 1, Group 4, Group 1, Group 4 -> 3 handovers, 4 steps, 2 returns, T02 repeated once.
        CaseFiguresList.CaseFigures first = bySource.get("case-10011");
        assertThat(List.of(first.events(), first.serviceSteps(), first.handovers(), first.returns(), first.rework()))
                .containsExactly(4, 4, 3, 2, 1);
        assertThat(first.repeatedActivities()).containsExactly(Map.entry("T02 Check confirmation of receipt", 1));
        // The receipt log writes org:group "EMPTY" where no group was recorded: not recorded, the default unit.
        assertThat(report.unitAttribute()).isEqualTo("org:group");
        assertThat(report.notRecorded()).containsExactly(
                new ImportReport.NotRecorded("org:group", "EMPTY", 1936, "unit UNKNOWN"));
        // Handovers at the giving unit's last event: the unit map's edge time is the gap between the two units'
        // events. Expected figures computed outside the product with Python's xml.etree over the gzip file: per
        // trace, events sorted by (timestamp, file position), each consecutive pair with different org:group
        // Group 3 -> Group 2: 992 gaps in 971 traces, mean 41,715,040.71 ms, nearest-rank median and p90, max.
        ProcessMap units = queries.query(new FindProcessMapQuery(RECEIPT_PERIOD, ProcessMap.Level.UNIT),
                                         ProcessMap.class).join();
        assertThat(units.edges()).filteredOn(e -> e.from().equals("Group 3") && e.to().equals("Group 2"))
                                 .singleElement().satisfies(e -> {
                                     assertThat(e.transitions()).isEqualTo(992);
                                     assertThat(e.cases()).isEqualTo(971);
                                     assertThat(e.durationMs().mean()).isCloseTo(41_715_040.71, within(0.01));
                                     assertThat(e.durationMs().median()).isEqualTo(24_024.0);
                                     assertThat(e.durationMs().p90()).isEqualTo(149_500_812.0);
                                     assertThat(e.durationMs().max()).isEqualTo(1_132_134_712.0);
                                 });
        // The activity map has the log's activity names: 27 activities, 99 directly-follows pairs (Python, as above).
        ProcessMap activities = queries.query(new FindProcessMapQuery(RECEIPT_PERIOD, ProcessMap.Level.ACTIVITY),
                                              ProcessMap.class).join();
        assertThat(activities.nodes()).hasSize(27).extracting(ProcessMap.Node::name)
                                      .contains("Confirmation of receipt").doesNotContain("WORK", "CASE_OPENED");
        assertThat(activities.edges()).hasSize(99);

        JsonNode found = json.readTree(get("caseworker", "/api/cases?sourceRef=case-10011", "application/json").getBody());
        assertThat(found.get("total").asLong()).isEqualTo(1);
        String caseId = found.at("/cases/0/caseId").asText();
        JsonNode journey = json.readTree(get("caseworker", "/api/cases/" + caseId + "/journey", "application/json")
                                                 .getBody());
        assertThat(journey.at("/leadTime/millis").asLong()).isEqualTo(3_811_896_277L);
        assertThat(journey.get("sourceRef").asText()).isEqualTo("case-10011");
        JsonNode view = json.readTree(get("caseworker", "/api/cases/" + caseId, "application/json").getBody());
        assertThat(view.get("citizenErased").asBoolean()).isFalse();
        assertThat(view.get("ageBand").asText()).isEqualTo("UNKNOWN");

        ImportReport again = importFile(importer, RECEIPT);

        assertThat(again.status()).isEqualTo(ImportReport.Status.COMPLETED);
        assertThat(again.casesImported()).isZero();
        assertThat(again.skippedCount()).isEqualTo(1434);
        assertThat(again.skipped()).allMatch(skipped -> skipped.reason().equals("already imported"));
        assertThat(figures(queries, RECEIPT_PERIOD)).hasSize(1434);

        ResponseEntity<String> csv = get("manager", "/api/evaluation/cases?from=2011-10-11&to=2011-10-11", "text/csv");
        assertThat(csv.getBody()).startsWith("case_id,source_ref,status,opened_at,events,lead_time_ms,service_steps,"
                                                     + "handovers,returns,rework,activities_repeated\r\n")
                                 .contains("," + "case-10011,RESOLVED,2011-10-11T11:45:40.276Z,4,3811896277,4,3,2,1,"
                                                   + "T02 Check confirmation of receipt=1\r\n");
    }

    @Test
    @Order(2)
    void brokenFilesAreRefusedNamingTraceAndLine_andLeaveNoCase() throws Exception {
        String good = trace("ok-1", event("A", "U1", "2012-01-02T10:00:00.000+01:00"));
        Map<String, String> broken = Map.of(
                "malformed XML", xes(good + trace("bad-xml", event("A", "U1", "2012-01-02T10:00:00.000+01:00"))
                        .replace("</event>", "</evnt>")),
                "missing timestamp", xes(good + trace("no-time", "      <string key=\"concept:name\" value=\"A\"/>\n")),
                "unparseable date", xes(good + trace("bad-date", event("A", "U1", "2012-13-45T10:00:00+01:00"))));
        for (Map.Entry<String, String> file : broken.entrySet()) {
            ResponseEntity<String> response = upload("broken.xes", file.getValue().getBytes(StandardCharsets.UTF_8),
                                                     null);

            assertThat(response.getStatusCode()).as(file.getKey()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
            assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            JsonNode problem = json.readTree(response.getBody());
            assertThat(problem.get("line").asInt()).as(file.getKey()).isGreaterThan(4);
            assertThat(problem.get("detail").asText()).as(file.getKey()).contains("line " + problem.get("line").asInt());
            if (!file.getKey().equals("malformed XML")) {
                assertThat(problem.get("trace").asText()).as(file.getKey()).isIn("no-time", "bad-date");
            }
            assertThat(problem.get("casesImported").asLong()).isZero();
            JsonNode report = json.readTree(get("admin", response.getHeaders().getLocation().getPath(),
                                                "application/json").getBody());
            assertThat(report.get("status").asText()).isEqualTo("FAILED");
        }
        assertThat(json.readTree(get("caseworker", "/api/cases?sourceRef=ok-1", "application/json").getBody())
                       .get("total").asLong()).isZero();
    }

    @Test
    @Order(3)
    void uploadWithMappingAnswersTheReport_andTracesRefusedByTheCaseRulesAreSkippedWhole() throws Exception {
        String log = xes(trace("web-1", event("Apply", "Front", "2012-03-01T09:00:00.000+01:00"),
                               event("Assess", "Back office", "2012-03-01T10:00:00.000+01:00"))
                                 + trace("bad-unit", event("Apply", "Front", "2012-03-01T09:00:00.000+01:00"),
                                         event("Assess", "#bad", "2012-03-01T10:00:00.000+01:00")));
        String mapping = """
                {"defaultServiceArea": "BUILDING_PERMIT", "defaultChannel": "EMAIL", "defaultMunicipality": "101"}""";

        ResponseEntity<String> response = upload("small.xes", log.getBytes(StandardCharsets.UTF_8), mapping);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        JsonNode report = json.readTree(response.getBody());
        assertThat(report.get("casesImported").asLong()).isEqualTo(1);
        assertThat(report.get("eventsImported").asLong()).isEqualTo(2);
        assertThat(report.at("/skipped/0/trace").asText()).isEqualTo("bad-unit");
        assertThat(report.at("/skipped/0/reason").asText()).contains("toUnit: must be");
        assertThat(get("admin", response.getHeaders().getLocation().getPath(), "application/json").getBody())
                .contains("\"status\":\"COMPLETED\"");
        assertThat(get("caseworker", "/api/imports/" + report.get("importId").asText(), "application/json")
                           .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(
                get("caseworker", "/api/cases?sourceRef=web-1", "application/json").getBody()).get("total").asLong() == 1);
        JsonNode found = json.readTree(get("caseworker", "/api/cases?sourceRef=web-1", "application/json").getBody());
        assertThat(found.at("/cases/0/serviceArea").asText()).isEqualTo("BUILDING_PERMIT");
        assertThat(json.readTree(get("caseworker", "/api/cases?sourceRef=bad-unit", "application/json").getBody())
                       .get("total").asLong()).isZero();
    }

    private static Instant apr9(int hour, int minute) {
        return LocalDateTime.of(2024, 4, 9, hour, minute).atZone(ZoneId.of("Europe/Copenhagen")).toInstant();
    }

    private void recordLiveJourneys() {
        commands.sendAndWait(new OpenCaseCommand("rt-1", "o", "0101401234", CitizenGroup.ELDERLY, ServiceArea.PENSION,
                                                 "101", Channel.PHONE, "KBH-KC", apr9(9, 0)));
        commands.sendAndWait(new RecordContactCommand("rt-1", "k1", Channel.PHONE, Direction.INBOUND, "KBH-KC", "s1",
                                                      ContactPurpose.APPLICATION, null, apr9(9, 0), apr9(9, 10)));
        commands.sendAndWait(new HandOverCaseCommand("rt-1", "h1", "KBH-KC", "KBH-PO",
                                                     HandoverReason.AUTHORITY_ELSEWHERE, null, apr9(9, 15)));
        commands.sendAndWait(new RecordWorkCommand("rt-1", "w1", "KBH-PO", "s2", "assessment", apr9(10, 0),
                                                   apr9(10, 30)));
        commands.sendAndWait(new HandOverCaseCommand("rt-1", "h2", "KBH-PO", "KBH-KC", HandoverReason.OTHER, null,
                                                     apr9(11, 0)));
        commands.sendAndWait(new RecordContactCommand("rt-1", "k2", Channel.PHONE, Direction.OUTBOUND, "KBH-KC", "s1",
                                                      ContactPurpose.STATUS_INQUIRY, null, apr9(11, 5), apr9(11, 10)));
        commands.sendAndWait(new ResolveCaseCommand("rt-1", "r", "KBH-KC", apr9(11, 20)));

        commands.sendAndWait(new OpenCaseCommand("rt-2", "o", "0202451234", CitizenGroup.FAMILY_WITH_CHILDREN,
                                                 ServiceArea.CHILD_BENEFIT, "101", Channel.SELF_SERVICE, "KBH-WEB",
                                                 apr9(8, 0)));
        commands.sendAndWait(new RequestInformationCommand("rt-2", "q", InformationType.INCOME, null, "KBH-WEB",
                                                           apr9(8, 5)));
        commands.sendAndWait(new ProvideInformationCommand("rt-2", "p", InformationType.INCOME, Channel.SELF_SERVICE,
                                                           "KBH-WEB", null, apr9(12, 0)));
        commands.sendAndWait(new RecordDecisionCommand("rt-2", "d", DecisionOutcome.GRANTED, "KBH-BO-YDELSE",
                                                       apr9(14, 0)));
        commands.sendAndWait(new ResolveCaseCommand("rt-2", "r", "KBH-BO-YDELSE", apr9(14, 1)));

        commands.sendAndWait(new OpenCaseCommand("rt-3", "o", "0303501234", CitizenGroup.YOUTH, ServiceArea.PASSPORT,
                                                 "101", Channel.IN_PERSON, "KBH-BS-NORD", apr9(10, 0)));
        commands.sendAndWait(new RecordContactCommand("rt-3", "k", Channel.IN_PERSON, Direction.INBOUND, "KBH-BS-NORD",
                                                      null, ContactPurpose.APPLICATION, null, apr9(10, 0), apr9(10, 0)));
    }

    @Test
    @Order(4)
    void journeysExportedAsXesAndImportedIntoAFreshLedgerKeepTheirFigures(@TempDir Path freshDir) throws Exception {
        recordLiveJourneys();
        // A case has figures from its opening on; the later events must be in them too before they are compared.
        ReadModelsAtHead.await(queries, Duration.ofSeconds(30));
        assertThat(figures(queries, LIVE_PERIOD)).hasSize(3);
        List<CaseFiguresList.CaseFigures> original = figures(queries, ALL);
        assertThat(original).hasSize(1434 + 1 + 3);

        // All of it: the receipt log's imported cases (named by their trace) and live journeys (by case id).
        ResponseEntity<byte[]> export = http.exchange("/api/exports/xes", HttpMethod.GET,
                                                      new HttpEntity<>(basic("manager")), byte[].class);
        assertThat(export.getStatusCode()).isEqualTo(HttpStatus.OK);
        String text = new String(export.getBody(), StandardCharsets.UTF_8);
        assertThat(text).contains("key=\"citizen:pseudonym\"").doesNotContain("0101401234").doesNotContain("010140")
                        .contains("<date key=\"time:timestamp\" value=\"2024-04-09T09:00:00.000+02:00\"/>")
                        .contains("<date key=\"time:timestamp\" value=\"2011-10-11T13:45:40.276+02:00\"/>");
        Path file = freshDir.resolve("journeys.xes");
        Files.write(file, export.getBody());

        try (ConfigurableApplicationContext fresh = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + freshDir.resolve("data"))) {
            ImportReport report = importFile(fresh.getBean(LogImporter.class), file);
            assertThat(report.casesImported()).as(report.skipped().stream().limit(5).toList().toString())
                                              .isEqualTo(original.size());
            QueryGateway freshQueries = fresh.getBean(QueryGateway.class);
            ReadModelsAtHead.await(freshQueries, Duration.ofSeconds(120));
            Map<String, CaseFiguresList.CaseFigures> imported = new HashMap<>();
            figures(freshQueries, ALL).forEach(f -> imported.put(f.sourceRef(), f));
            assertThat(imported).hasSize(original.size());
            for (CaseFiguresList.CaseFigures before : original) {
                CaseFiguresList.CaseFigures after = imported.get(before.sourceRef() != null ? before.sourceRef()
                                                                                            : before.caseId());
                boolean resolved = before.status() == CaseStatus.RESOLVED;
                assertThat(List.of(after.events(), after.serviceSteps(), after.handovers(), after.returns(),
                                   after.rework(), after.status(), resolved ? after.leadTimeMs() : "running"))
                        .as(before.caseId() + " " + before.sourceRef())
                        .isEqualTo(List.of(before.events(), before.serviceSteps(), before.handovers(), before.returns(),
                                           before.rework(), before.status(), resolved ? before.leadTimeMs() : "running"));
            }
        }
    }

    private static HttpHeaders basic(String user) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth(user, user);
        return headers;
    }

    @Test
    @Order(5)
    void ocelExportHasTheOcel2StructureAndNoPersonalData() throws Exception {
        ResponseEntity<String> response = get("manager", "/api/exports/ocel?from=2024-04-01&to=2024-04-30",
                                              "application/json");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).doesNotContain("0101401234").doesNotContain("0202451234");
        JsonNode ocel = json.readTree(response.getBody());
        assertThat(ocel.get("objectTypes").findValuesAsText("name")).contains("case", "citizen", "unit");
        assertThat(ocel.get("eventTypes").findValuesAsText("name")).contains("Case opened", "assessment", "Handover");
        JsonNode handover = null;
        for (JsonNode event : ocel.get("events")) {
            assertThat(event.has("id") && event.has("type") && event.has("time") && event.has("attributes")).isTrue();
            if (event.get("id").asText().equals("rt-1:h1")) {
                handover = event;
            }
        }
        assertThat(handover).isNotNull();
        assertThat(handover.get("time").asText()).isEqualTo("2024-04-09T09:15+02:00");
        assertThat(handover.get("relationships").toString())
                .contains("{\"objectId\":\"case:rt-1\",\"qualifier\":\"case\"}")
                .contains("{\"objectId\":\"unit:KBH-KC\",\"qualifier\":\"handed from\"}")
                .contains("{\"objectId\":\"unit:KBH-PO\",\"qualifier\":\"handed to\"}")
                .contains("\"qualifier\":\"citizen\"");
        List<String> objectIds = ocel.get("objects").findValuesAsText("id");
        assertThat(objectIds).contains("case:rt-1", "unit:KBH-KC", "unit:KBH-PO");
        assertThat(objectIds.stream().filter(id -> id.startsWith("citizen:P-")).count()).isEqualTo(3);
        assertThat(ocel.get("events").size()).isEqualTo(7 + 5 + 2);
    }

    @Test
    @Order(6)
    void commandLineExitsZeroWhenImportedAndOneWhenTheFileIsBroken_andReturnsWithTheReadModelsAtTheHead(@TempDir Path dir)
            throws Exception {
        ImportCommandLine commandLine = app.getBean(ImportCommandLine.class);
        Path good = dir.resolve("good.xes");
        Files.writeString(good, xes(trace("cli-1", event("A", "U1", "2012-05-02T10:00:00.000+02:00"))));
        Path broken = dir.resolve("broken.xes");
        Files.writeString(broken, xes(trace("cli-2", event("A", "U1", "2012-05-02 10:00"))));

        assertThat(commandLine.run(good, ImportMapping.defaults())).isZero();
        ProjectionList projections = queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
        assertThat(projections.projections()).as("every read model has the imported case when the import returns")
                .allSatisfy(projection -> assertThat(projection.lag()).isIn(null, 0L));
        assertThat(commandLine.run(broken, ImportMapping.defaults())).isEqualTo(1);
        assertThat(commandLine.run(good, ImportMapping.defaults())).as("again: skipped, still completed").isZero();
    }
}
