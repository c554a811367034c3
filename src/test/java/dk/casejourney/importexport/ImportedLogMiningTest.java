package dk.casejourney.importexport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.ReadModelsAtHead;
import dk.casejourney.common.Identifiers;
import dk.casejourney.evaluation.api.CaseFiguresList;
import dk.casejourney.evaluation.api.Distribution;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindCaseFiguresQuery;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.evaluation.api.FindJourneyQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.FindVariantsQuery;
import dk.casejourney.evaluation.api.Journey;
import dk.casejourney.evaluation.api.ProcessMap;
import dk.casejourney.evaluation.api.Variants;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small hand-made XES logs (src/test/resources/mining) imported through the real command path and read back as
 * process-mining answers; every expected figure is computed by hand from the file, in the comments.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportedLogMiningTest {

    private static final long MIN = 60_000;
    private static final EvaluationCriteria HANDOVER_DAY = day(LocalDate.of(2013, 5, 6));

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws java.io.IOException {
        // A directory of this class's own (PER_CLASS: the context starts before a static @TempDir is set).
        java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("mining-test");
        dataDir.toFile().deleteOnExit();
        registry.add("ledger.data-dir", dataDir::toString);
    }

    @Autowired
    LogImporter importer;
    @Autowired
    QueryGateway queries;
    @Autowired
    TestRestTemplate http;
    @Autowired
    ObjectMapper json;

    private ImportReport placeholders;
    private ImportReport handovers;

    private static EvaluationCriteria day(LocalDate day) {
        return new EvaluationCriteria(day, day, Map.of(), List.of());
    }

    private ImportReport importResource(String name, ImportMapping mapping) {
        return importer.importLog(Identifiers.random(), name, () -> resource(name), -1, mapping, r -> { });
    }

    private static InputStream resource(String name) {
        return ImportedLogMiningTest.class.getResourceAsStream("/mining/" + name);
    }

    private List<CaseFiguresList.CaseFigures> cases(EvaluationCriteria criteria) {
        return queries.query(new FindCaseFiguresQuery(criteria), CaseFiguresList.class).join().cases();
    }

    private ResponseEntity<String> get(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth("manager", "manager");
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    @BeforeAll
    void importTheLogs() {
        placeholders = importResource("placeholders.xes", ImportMapping.defaults());
        handovers = importResource("handovers.xes", ImportMapping.defaults());
        ReadModelsAtHead.await(queries, Duration.ofSeconds(60));
        assertThat(cases(HANDOVER_DAY)).hasSize(4);
        assertThat(cases(day(LocalDate.of(2013, 4, 2)))).hasSize(3);
    }

    @Test
    void givenPlaceholdersForResourcesGroupsAndAttributes_whenImported_thenEveryTraceIsKeptAndThePlaceholdersAreCounted() {
        assertThat(placeholders.casesImported()).isEqualTo(3);
        assertThat(placeholders.unitAttribute()).isEqualTo("org:group");
        // Only the trace with an event without concept:name is structurally broken.
        assertThat(placeholders.skippedCount()).isEqualTo(1);
        assertThat(placeholders.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.trace()).isEqualTo("broken");
            assertThat(skipped.reason()).contains("no activity name");
        });
        // p-1: group "-" (1 event), resource "-" (2 events), impact "unknown"; p-2: no group, group "EMPTY",
        // resource "" and "N/A", channel "-".
        assertThat(placeholders.notRecorded()).containsExactlyInAnyOrder(
                new ImportReport.NotRecorded("org:group", "-", 1, "unit UNKNOWN"),
                new ImportReport.NotRecorded("org:resource", "-", 2, "no staff id"),
                new ImportReport.NotRecorded("impact", "unknown", 1, "left out"),
                new ImportReport.NotRecorded("org:group", null, 1, "unit UNKNOWN"),
                new ImportReport.NotRecorded("org:group", "EMPTY", 1, "unit UNKNOWN"),
                new ImportReport.NotRecorded("org:resource", "", 1, "no staff id"),
                new ImportReport.NotRecorded("org:resource", "N/A", 1, "no staff id"),
                new ImportReport.NotRecorded("channel", "-", 1, "Channel SELF_SERVICE"));
    }

    @Test
    void givenALogWithoutGroups_whenTheMappingNamesOrgResourceAsUnit_thenTheReportSaysSoAndResourcesAreTheSteps() {
        ImportMapping byResource = new ImportMapping(null, null, null, null, null, null, null, null, null, null, null,
                                                     null, null, null, null, "org:resource", null);

        ImportReport report = importResource("no-groups.xes", byResource);

        assertThat(report.casesImported()).isEqualTo(1);
        assertThat(report.unitAttribute()).isEqualTo("org:resource");
        assertThat(report.notRecorded()).isEmpty();
        String caseId = TraceMapping.caseId("no-groups-test", "h-1");
        ReadModelsAtHead.await(queries, Duration.ofSeconds(30));
        Journey journey = journey(caseId);
        assertThat(journey.resolvedAt()).isNotNull();
        // Value 1 (14:50, 15:00) -> Value 2 (17:00, 17:30): 2 steps, one handover at 15:00, delay 2 h.
        assertThat(journey.units()).containsExactly("Value 1", "Value 2");
        assertThat(journey.handoverDelays()).singleElement()
                                            .satisfies(h -> assertThat(h.delay().millis()).isEqualTo(120 * MIN));
    }

    private Journey journey(String caseId) {
        return queries.query(new FindJourneyQuery(caseId), ResponseTypes.optionalInstanceOf(Journey.class)).join()
                      .orElse(null);
    }

    @Test
    void givenUnitChanges_whenImported_thenHandoversAreAtTheGivingUnitsLastEventAndDelaysAreTheGaps() {
        assertThat(handovers.casesImported()).isEqualTo(4);
        // Case a: U1 09:00, 09:30 | U2 11:00 | U1 12:00: handed over at 09:30 (90 min until U2 acts) and at 11:00
        // (60 min until U1 acts again, a return).
        Journey a = journey(TraceMapping.caseId("handovers-test", "a"));
        assertThat(a.handoverDelays()).extracting(h -> h.at().toString(), h -> h.delay().millis(), Journey.Handover::isReturn)
                                      .containsExactly(org.assertj.core.groups.Tuple.tuple("2013-05-06T09:30:00Z", 90 * MIN, false),
                                                       org.assertj.core.groups.Tuple.tuple("2013-05-06T11:00:00Z", 60 * MIN, true));
        assertThat(a.returns()).isEqualTo(1);
        assertThat(a.leadTime().millis()).isEqualTo(180 * MIN);
    }

    @Test
    void givenTheHandoverLog_whenTheUnitMapIsAsked_thenEdgeTimesAreTheGapsBetweenTheUnitsEvents() {
        ProcessMap map = queries.query(new FindProcessMapQuery(HANDOVER_DAY, ProcessMap.Level.UNIT), ProcessMap.class)
                                .join();

        assertThat(map.cases()).isEqualTo(4);
        // U1 -> U2: a 09:30-11:00 = 90, b 10:00-10:20 = 20, c 08:00-08:40 = 40 min: mean 50, median (rank 2) 40,
        // p90 (rank ceil(2.7) = 3) 90. U2 -> U1: a 60, b 30, c 20: mean 36 2/3... no: (60+30+20)/3 = 36.67 min.
        assertThat(edge(map, "U1", "U2")).satisfies(e -> {
            assertThat(e.transitions()).isEqualTo(3);
            assertThat(e.cases()).isEqualTo(3);
            assertThat(e.durationMs()).isEqualTo(new Distribution(3, 50.0 * MIN, 40.0 * MIN, 90.0 * MIN, 90.0 * MIN));
        });
        assertThat(edge(map, "U2", "U1").durationMs().mean()).isEqualTo((60 + 30 + 20) * MIN / 3.0);
        assertThat(edge(map, "U2", "U1").durationMs().median()).isEqualTo(30.0 * MIN);
        // Nodes: U1 in 4 cases, twice in a, b and c: 7 steps; every case starts and 4 end at U1.
        assertThat(map.nodes()).contains(new ProcessMap.Node("U1", 7, 4, 4, 4), new ProcessMap.Node("U2", 3, 3, 0, 0));
    }

    private static ProcessMap.Edge edge(ProcessMap map, String from, String to) {
        return map.edges().stream().filter(e -> e.from().equals(from) && e.to().equals(to)).findFirst().orElseThrow();
    }

    @Test
    void givenTheHandoverLog_whenTheActivityMapIsAsked_thenItHasTheLogsActivitiesStartsEndsAndAThreshold() {
        ProcessMap map = queries.query(new FindProcessMapQuery(HANDOVER_DAY, ProcessMap.Level.ACTIVITY),
                                       ProcessMap.class).join();

        // Only the log's activities: no opening, handover or resolution derived by the import.
        assertThat(map.nodes()).extracting(ProcessMap.Node::name).containsExactlyInAnyOrder("A", "B", "C", "D");
        // A starts all 4 cases; D ends a, b, c; B ends d.
        assertThat(map.nodes()).contains(new ProcessMap.Node("A", 4, 4, 4, 0), new ProcessMap.Node("D", 3, 3, 0, 3),
                                         new ProcessMap.Node("B", 2, 2, 0, 1), new ProcessMap.Node("C", 3, 3, 0, 0));
        // Edges: A->B (a 30, d 10 min), B->C (a 90), A->C (b 20, c 40), C->D (a 60, b 30, c 20).
        assertThat(map.edges()).hasSize(4);
        assertThat(edge(map, "C", "D").durationMs()).isEqualTo(new Distribution(3, 110.0 * MIN / 3, 30.0 * MIN,
                                                                                 60.0 * MIN, 60.0 * MIN));
        assertThat(edge(map, "A", "B").durationMs().median()).isEqualTo(10.0 * MIN);

        ProcessMap frequent = queries.query(new FindProcessMapQuery(HANDOVER_DAY, ProcessMap.Level.ACTIVITY, 3),
                                            ProcessMap.class).join();

        assertThat(frequent.edges()).extracting(e -> e.from() + "->" + e.to()).containsExactly("C->D");
        assertThat(frequent.hiddenEdges()).isEqualTo(3);
        assertThat(frequent.nodes()).hasSize(4);
    }

    @Test
    void givenTheHandoverLog_whenVariantsAreAsked_thenTheDistinctPathsComeMostFrequentFirstWithShareAndLeadTime() {
        Variants activities = queries.query(new FindVariantsQuery(HANDOVER_DAY, ProcessMap.Level.ACTIVITY, 10),
                                            Variants.class).join();

        assertThat(activities.cases()).isEqualTo(4);
        assertThat(activities.variants()).isEqualTo(3);
        // A,C,D: b (10:00-10:50 = 50 min) and c (08:00-09:00 = 60 min): median rank 1 of 2 = 50 min.
        assertThat(activities.paths().get(0)).satisfies(v -> {
            assertThat(v.path()).containsExactly("A", "C", "D");
            assertThat(v.cases()).isEqualTo(2);
            assertThat(v.share()).isEqualTo(0.5);
            assertThat(v.leadTimeMs().median()).isEqualTo(50.0 * MIN);
        });
        // Equal counts in path order: A,B (d, 10 min) before A,B,C,D (a, 180 min).
        assertThat(activities.paths().subList(1, 3)).extracting(Variants.Variant::path, v -> v.leadTimeMs().median())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("A", "B"), 10.0 * MIN),
                                 org.assertj.core.groups.Tuple.tuple(List.of("A", "B", "C", "D"), 180.0 * MIN));

        Variants units = queries.query(new FindVariantsQuery(HANDOVER_DAY, ProcessMap.Level.UNIT, 1), Variants.class)
                                .join();

        assertThat(units.variants()).isEqualTo(2);
        assertThat(units.paths()).singleElement().satisfies(v -> {
            assertThat(v.path()).containsExactly("U1", "U2", "U1");
            assertThat(v.cases()).isEqualTo(3);
            assertThat(v.share()).isEqualTo(0.75);
        });
    }

    @Test
    void givenTheHandoverLog_whenEvaluated_thenReturnsAndHandoverDelaysPerUnitPairAreReported() {
        EvaluationReport report = queries.query(new FindEvaluationQuery(HANDOVER_DAY), EvaluationReport.class).join();

        EvaluationReport.Group all = report.groups().get(0);
        // a, b, c return to U1 once each; d never leaves U1.
        assertThat(all.returns()).isEqualTo(new Distribution(4, 0.75, 1.0, 1.0, 1.0));
        assertThat(all.returnRate()).isEqualTo(0.75);
        assertThat(all.handoversBetweenUnits())
                .contains(new EvaluationReport.UnitPair("U1", "U2", 3, 40.0 * MIN),
                          new EvaluationReport.UnitPair("U2", "U1", 3, 30.0 * MIN));
    }

    @Test
    void givenNoPeriod_whenAnyEvaluationViewIsAsked_thenItCoversAllCases() throws Exception {
        int all = cases(new EvaluationCriteria(null, null, Map.of(), List.of())).size();
        assertThat(all).isGreaterThanOrEqualTo(7);
        for (String path : List.of("/api/evaluation", "/api/evaluation/cases", "/api/evaluation/process-map",
                                   "/api/evaluation/variants?level=unit", "/api/evaluation/process-map?level=unit",
                                   "/api/evaluation/comparison?changeDate=2013-05-01")) {
            ResponseEntity<String> response = get(path);

            assertThat(response.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
        }
        JsonNode evaluation = json.readTree(get("/api/evaluation").getBody());
        assertThat(evaluation.at("/groups/0/cases").asInt()).isEqualTo(all);
        assertThat(evaluation.path("from").isMissingNode() || evaluation.path("from").isNull()).isTrue();
        JsonNode comparison = json.readTree(get("/api/evaluation/comparison?changeDate=2013-05-01").getBody());
        assertThat(comparison.at("/before/groups/0/cases").asInt() + comparison.at("/after/groups/0/cases").asInt())
                .isEqualTo(all);
        assertThat(json.readTree(get("/api/evaluation/process-map?from=2013-05-06").getBody()).get("cases").asInt())
                .isEqualTo(4);
        assertThat(get("/api/evaluation/variants?limit=0").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(get("/api/evaluation/process-map?minTransitions=x").getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }
}
