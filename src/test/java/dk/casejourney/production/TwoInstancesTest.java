package dk.casejourney.production;

import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Identifiers;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the application on one PostgreSQL schema, as two nodes of a deployment: they split the
 * projection's segments (each its fair share, no fixed cap), both write, both answer reads, and no event reaches
 * the read model twice; a rebuild started on one holds both, either answers its progress, and another instance
 * takes it over, even mid-replay.
 */
class TwoInstancesTest {

    private static final String[] SHARED = {"ledger.processors.initial-segment-count=4"};
    private static PostgresSchema schema;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        schema = PostgresSchema.create("twonodes");
        first = Ledger.start("postgres", schema, SHARED);
        second = Ledger.start("postgres", schema, SHARED);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[]{first, second}) {
            if (instance != null) {
                instance.close();
            }
        }
        schema.close();
    }

    @Test
    void givenTwoInstancesOnOneDatabase_whenBothWrite_thenBothProjectTheirSegmentsAndEveryEventOnce() {
        List<CaseCommand> batch = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> batch.addAll(Journeys.journey("first-" + i)));
        first.getBean(BulkRecording.class).record("import:two-nodes", batch);
        CommandGateway secondCommands = second.getBean(CommandGateway.class);
        IntStream.range(0, 30).forEach(i -> Journeys.journey("second-" + i).forEach(secondCommands::sendAndWait));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
        long head = jdbc.sql("SELECT MAX(global_index) FROM domain_event_entry").query(Long.class).single();
        // Other tests of this class write cases of their own to the same schema.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier LIKE 'first-%' "
                                    + "OR aggregate_identifier LIKE 'second-%'").query(Long.class).single())
                .isEqualTo(60L * Journeys.EVENTS_PER_JOURNEY);

        // Claims are retried every few seconds; on a loaded two-core machine the second instance can take a while.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<Integer, EventTrackerStatus> ofFirst = caseViews(first).processingStatus();
            Map<Integer, EventTrackerStatus> ofSecond = caseViews(second).processingStatus();
            assertThat(ofFirst).hasSize(2);
            assertThat(ofSecond).hasSize(2);
            assertThat(ofFirst.keySet()).doesNotContainAnyElementsOf(ofSecond.keySet());
            for (EventTrackerStatus status : concat(ofFirst, ofSecond)) {
                assertThat(status.getCurrentPosition()).hasValue(head);
            }
        });
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single()).isEqualTo(events);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_view WHERE status = 'RESOLVED' AND version = ?"
                                    + " AND (case_id LIKE 'first-%' OR case_id LIKE 'second-%')")
                       .param(Journeys.EVENTS_PER_JOURNEY - 1).query(Long.class).single()).isEqualTo(60L);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT owner) FROM token_entry WHERE processor_name = 'case-views'")
                       .query(Long.class).single()).isEqualTo(2L);

        assertThat(history(first, "second-7")).hasSize(Journeys.EVENTS_PER_JOURNEY);
        assertThat(history(second, "first-7")).hasSize(Journeys.EVENTS_PER_JOURNEY);
    }

    /**
     * Each instance answers evaluations from its own in-memory copy of the journey figures: what the other instance
     * writes (and its own segments project) is counted by both, as the tables hold it.
     */
    @Test
    void givenTwoInstancesWithTheirEvaluationsAsked_whenOneWrites_thenBothEvaluationsCountEveryCaseTheTablesHold() {
        EvaluationCriteria everything = new EvaluationCriteria(null, null, Map.of(), List.of());
        // Both copies made before the writes (other tests' writes may still be reaching the read models).
        casesEvaluated(first, everything);
        casesEvaluated(second, everything);
        CommandGateway secondCommands = second.getBean(CommandGateway.class);
        IntStream.range(0, 12).forEach(i -> Journeys.journey("evaluated-" + i).forEach(secondCommands::sendAndWait));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT COUNT(*) FROM journey_case WHERE case_id LIKE 'evaluated-%' AND status = 'RESOLVED'")
                    .query(Long.class).single()).isEqualTo(12L));
        long inTables = awaitSettled(jdbc);
        assertThat(casesEvaluated(first, everything)).isEqualTo(inTables);
        assertThat(casesEvaluated(second, everything)).isEqualTo(inTables);
        assertThat(evaluation(first, everything).groups().get(0).resolvedCases())
                .isEqualTo(evaluation(second, everything).groups().get(0).resolvedCases());
    }

    /** The number of cases in the journey figures once they (cases and their events) have not changed for a second. */
    private static long awaitSettled(JdbcClient jdbc) {
        List<?>[] last = {List.of()};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<?> now = jdbc.sql("SELECT COUNT(*), COALESCE(SUM(events), 0) FROM journey_case")
                              .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single();
            boolean settled = now.equals(last[0]);
            last[0] = now;
            return settled;
        });
        return (Long) last[0].get(0);
    }

    private static EvaluationReport evaluation(ConfigurableApplicationContext instance, EvaluationCriteria criteria) {
        return instance.getBean(QueryGateway.class).query(new FindEvaluationQuery(criteria), EvaluationReport.class)
                       .join();
    }

    private static long casesEvaluated(ConfigurableApplicationContext instance, EvaluationCriteria criteria) {
        return evaluation(instance, criteria).groups().stream().mapToLong(EvaluationReport.Group::cases).sum();
    }

    /**
     * The observation this reproduces: the rebuild failed with "Unable to claim token 'case-views[2]'. It is owned
     * by ..." (the other instance kept its segments) and its status answered 404 on the other instance.
     */
    @Test
    void givenTwoInstances_whenARebuildStartsOnOneWhileBothWrite_thenItIsRebuiltAndEitherAnswersItsProgress()
            throws Exception {
        List<CaseCommand> batch = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> batch.addAll(Journeys.journey("before-" + i)));
        first.getBean(BulkRecording.class).record("import:before-rebuild", batch);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            CommandGateway commands = second.getBean(CommandGateway.class);
            for (int i = 0; writing.get(); i++) {
                Journeys.journey("during-" + i).forEach(commands::sendAndWait);
                written.incrementAndGet();
            }
        }, "writer");
        writer.start();
        Map<?, ?> finished;
        try {
            ResponseEntity<Map> started = admin(first).post().uri("/api/admin/projections/case-views/rebuilds")
                                                      .retrieve().toEntity(Map.class);
            assertThat(started.getStatusCode().value()).isEqualTo(202);
            String location = started.getHeaders().getLocation().toString();
            String id = (String) started.getBody().get("id");
            // The other instance answers at once, with the same rebuild.
            Map<?, ?> onSecond = admin(second).get().uri(location).retrieve().body(Map.class);
            assertThat(onSecond.get("id")).isEqualTo(id);
            assertThat(onSecond.get("phase")).isIn("COPYING", "REPLAYING", "VERIFYING", "DONE");
            finished = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250))
                              .until(() -> admin(second).get().uri(location).retrieve().body(Map.class),
                                     rebuild -> List.of("DONE", "FAILED").contains(rebuild.get("phase")));
            assertThat(admin(first).get().uri(location).retrieve().body(Map.class)).isEqualTo(finished);
        } finally {
            writing.set(false);
            writer.join(60_000);
        }
        assertThat(finished.get("error")).as(finished.toString()).isNull();
        assertThat(finished.get("phase")).isEqualTo("DONE");
        assertThat(((Number) finished.get("eventsTotal")).longValue()).isGreaterThanOrEqualTo(300L * Journeys.EVENTS_PER_JOURNEY);
        assertThat(finished.get("eventsDone")).isEqualTo(finished.get("eventsTotal"));
        assertThat(((Map<?, ?>) finished.get("verification")).get("equal")).as(finished.toString()).isEqualTo(true);
        assertThat(written.get()).as("writes went on during the rebuild").isPositive();

        // Both instances work on the rebuilt projection again, each its share, up to the head.
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        long head = jdbc.sql("SELECT MAX(global_index) FROM domain_event_entry").query(Long.class).single();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<Integer, EventTrackerStatus> ofFirst = caseViews(first).processingStatus();
            Map<Integer, EventTrackerStatus> ofSecond = caseViews(second).processingStatus();
            assertThat(ofFirst).hasSize(2);
            assertThat(ofSecond).hasSize(2);
            for (EventTrackerStatus status : concat(ofFirst, ofSecond)) {
                assertThat(status.getCurrentPosition()).hasValue(head);
            }
        });
        long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single()).isEqualTo(events);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_view").query(Long.class).single())
                .isEqualTo(jdbc.sql("SELECT COUNT(DISTINCT aggregate_identifier) FROM domain_event_entry")
                               .query(Long.class).single());
    }

    /**
     * The runner replays alone, committing every segment's token with each batch (audit/Rebuilds): an instance
     * stopped mid-replay leaves the rebuild to another, which goes on from those tokens. Were it to start again
     * from the start, the history rows already inserted would collide; were it to skip, the verification would
     * find the difference.
     */
    @Test
    void givenARebuildWhoseRunnerStopsDuringTheReplay_whenAnotherInstanceTakesItOver_thenItGoesOnToAVerifiedEnd()
            throws Exception {
        List<CaseCommand> batch = new ArrayList<>();
        for (int part = 0; part < 8; part++) {
            batch.clear();
            for (int i = 0; i < 500; i++) {
                batch.addAll(Journeys.journey("replay-takeover-" + part + "-" + i));
            }
            first.getBean(BulkRecording.class).record("import:replay-takeover", batch);
        }
        ConfigurableApplicationContext runner = Ledger.start("postgres", schema, SHARED);
        String id = Identifiers.random();
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        try {
            runner.getBean(CommandGateway.class).sendAndWait(new StartRebuildCommand("case-views", id));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(
                    () -> jdbc.sql("SELECT step, events_done FROM projection_rebuild WHERE rebuild_id = ?").param(id)
                              .query((rs, n) -> rs.getString(1) + "/" + rs.getLong(2)).single(),
                    state -> state.startsWith("REPLAYING/") && !state.equals("REPLAYING/0")
                            || state.startsWith("VERIFYING") || state.startsWith("DONE"));
        } finally {
            runner.close();
        }
        String stepAtStop = jdbc.sql("SELECT step FROM projection_rebuild WHERE rebuild_id = ?").param(id)
                                .query(String.class).single();
        assertThat(stepAtStop).as("the runner stopped during its replay (a faster machine would need more events)")
                              .isEqualTo("REPLAYING");

        String location = "/api/admin/projections/case-views/rebuilds/" + id;
        Map<?, ?> finished = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250))
                                    .until(() -> admin(second).get().uri(location).retrieve().body(Map.class),
                                           rebuild -> List.of("DONE", "FAILED").contains(rebuild.get("phase")));
        assertThat(finished.get("error")).as(finished.toString()).isNull();
        assertThat(finished.get("phase")).isEqualTo("DONE");
        assertThat(((Map<?, ?>) finished.get("verification")).get("equal")).as(finished.toString()).isEqualTo(true);
        assertThat(jdbc.sql("SELECT takeovers FROM projection_rebuild WHERE rebuild_id = ?").param(id)
                       .query(Integer.class).single()).isEqualTo(1);
        long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(
                () -> assertThat(jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single())
                        .isEqualTo(events));
    }

    private static RestClient admin(ConfigurableApplicationContext instance) {
        String port = instance.getEnvironment().getProperty("local.server.port");
        return RestClient.builder().baseUrl("http://localhost:" + port)
                         .defaultHeaders(h -> h.setBasicAuth("admin", "admin")).build();
    }

    private static PooledStreamingEventProcessor caseViews(ConfigurableApplicationContext instance) {
        return instance.getBean(EventProcessingConfiguration.class)
                       .eventProcessor("case-views", PooledStreamingEventProcessor.class).orElseThrow();
    }

    private static List<EventTrackerStatus> concat(Map<Integer, EventTrackerStatus> a,
                                                   Map<Integer, EventTrackerStatus> b) {
        List<EventTrackerStatus> all = new ArrayList<>(a.values());
        all.addAll(b.values());
        return all;
    }

    private static List<?> history(ConfigurableApplicationContext instance, String caseId) {
        String port = instance.getEnvironment().getProperty("local.server.port");
        Map<?, ?> history = RestClient.builder().baseUrl("http://localhost:" + port)
                                      .defaultHeaders(h -> h.setBasicAuth("caseworker", "caseworker")).build()
                                      .get().uri("/api/cases/{id}/history", caseId).retrieve().body(Map.class);
        return (List<?>) history.get("entries");
    }

    /**
     * Each instance keeps the cases it wrote in memory (journey/CaseCache) and uses a case it last committed
     * without asking the store: a case the other instance has changed since collides with the stored sequence,
     * and the command is sent again on the stored case (journey/ConcurrentWriteRetries), so every write is
     * recorded, once, in order.
     */
    @Test
    void givenOneCaseWrittenByBothInstances_whenTheyTakeTurns_thenEachWriteIsDecidedOnTheStoredCase() {
        CommandGateway[] instances = {first.getBean(CommandGateway.class), second.getBean(CommandGateway.class)};
        MeterRegistry[] meters = {first.getBean(MeterRegistry.class), second.getBean(MeterRegistry.class)};
        double retriesBefore = retries(meters);
        String caseId = "turns";
        List<CaseCommand> commands = new ArrayList<>(List.of(Journeys.open(caseId, Journeys.START)));
        IntStream.range(1, 8).forEach(i -> commands.add(
                Journeys.contact(caseId, caseId + "-c" + i, Journeys.START.plusSeconds(60L * i))));
        for (int i = 0; i < commands.size(); i++) {
            instances[i % 2].sendAndWait(commands.get(i));
        }
        // Each instance once more: both now hold the case, each older than the store after the other's write.
        instances[0].sendAndWait(Journeys.contact(caseId, caseId + "-c8", Journeys.START.plusSeconds(480)));
        instances[1].sendAndWait(Journeys.contact(caseId, caseId + "-c9", Journeys.START.plusSeconds(540)));

        assertThat(JdbcClient.create(first.getBean(javax.sql.DataSource.class))
                             .sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?")
                             .param(caseId).query(Long.class).single()).isEqualTo(10L);
        assertThat(JdbcClient.create(first.getBean(javax.sql.DataSource.class))
                             .sql("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ? "
                                          + "ORDER BY global_index")
                             .param(caseId).query(Long.class).list())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        // Each write after the first two meets a case the other instance wrote since, if this instance still keeps
        // it (the garbage collector may have dropped it: then it is checked first): sent again at most once.
        assertThat(retries(meters) - retriesBefore).isLessThanOrEqualTo(8.0);
    }

    private static double retries(MeterRegistry... registries) {
        return Arrays.stream(registries).mapToDouble(r -> r.counter("ledger.commands.concurrent.retries").count()).sum();
    }
}
