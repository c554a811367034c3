package dk.casejourney.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The "postgres" profile against a real PostgreSQL: schema, HTTP round trip, concurrent writers, bulk batches. */
class PostgresProfileTest {

    private static PostgresSchema schema;
    private static ConfigurableApplicationContext ledger;
    private static JdbcClient jdbc;

    @BeforeAll
    static void start() {
        schema = PostgresSchema.create("pgprofile");
        ledger = Ledger.start("postgres", schema, "ledger.snapshots.event-threshold=20");
        jdbc = ledger.getBean(JdbcClient.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
        schema.close();
    }

    @Test
    void givenThePostgresProfile_whenStarted_thenEveryMigrationRanAndEventColumnsAreBytea() {
        assertThat(jdbc.sql("SELECT current_schema()").query(String.class).single()).isEqualTo(schema.name());
        List<Boolean> migrations = jdbc.sql("SELECT success FROM flyway_schema_history WHERE version IS NOT NULL")
                                       .query(Boolean.class).list();
        assertThat(migrations).isNotEmpty().containsOnly(true);
        Map<String, String> types = new HashMap<>();
        jdbc.sql("""
                 SELECT table_name || '.' || column_name AS col, data_type FROM information_schema.columns
                 WHERE table_schema = current_schema() AND column_name IN ('payload', 'meta_data', 'token')""")
            .query(rs -> {
                types.put(rs.getString("col"), rs.getString("data_type"));
            });
        assertThat(types).containsEntry("domain_event_entry.payload", "bytea")
                         .containsEntry("domain_event_entry.meta_data", "bytea")
                         .containsEntry("snapshot_event_entry.payload", "bytea")
                         .containsEntry("token_entry.token", "bytea");
    }

    @Test
    void givenThePostgresProfile_whenACaseIsRecordedOverHttp_thenItsHistoryIsReadBackFromPostgres() {
        int port = ((WebServerApplicationContext) ledger).getWebServer().getPort();
        RestClient http = RestClient.builder().baseUrl("http://localhost:" + port)
                                    .defaultHeaders(h -> h.setBasicAuth("caseworker", "caseworker")).build();
        Map<?, ?> recorded = http.post().uri("/api/cases").contentType(MediaType.APPLICATION_JSON)
                                 .body(Map.of("cpr", "0101801234", "citizenGroup", "FAMILY_WITH_CHILDREN",
                                              "serviceArea", "CHILD_BENEFIT", "municipality", "101",
                                              "channel", "IN_PERSON", "unit", "borgerservice-nord",
                                              "occurredAt", "2013-01-07T10:15:00Z"))
                                 .retrieve().body(Map.class);
        String caseId = (String) recorded.get("caseId");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<?, ?> history = http.get().uri("/api/cases/{id}/history", caseId).retrieve()
                                    .onStatus(HttpStatusCode::is4xxClientError, (req, res) -> {
                                        throw new AssertionError("not projected yet: " + res.getStatusCode());
                                    })
                                    .body(Map.class);
            assertThat((List<?>) history.get("entries")).hasSize(1);
        });
    }

    @Test
    void givenEightConcurrentWritersOnOneCase_whenAllAreAcknowledged_thenEachEventIsStoredOnceWithoutSequenceGaps()
            throws Exception {
        CommandGateway commands = ledger.getBean(CommandGateway.class);
        String caseId = "concurrent-1";
        commands.sendAndWait(Journeys.open(caseId, Journeys.START));
        int writers = 8;
        int perWriter = 25;
        CountDownLatch go = new CountDownLatch(1);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perWriter; i++) {
                        String entryId = "w" + writer + "-" + i;
                        String answer = commands.sendAndWait(Journeys.contact(
                                caseId, entryId, Journeys.START.plusSeconds(60L + writer * 1000L + i)));
                        acknowledged.add(answer);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Map<String, Object>> stored = jdbc.sql("""
                SELECT sequence_number, convert_from(payload, 'UTF8')::json->>'entryId' AS entry_id
                FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""")
                                              .param(caseId).query().listOfRows();
        assertThat(acknowledged).hasSize(writers * perWriter).doesNotHaveDuplicates();
        assertThat(stored).extracting(row -> ((Number) row.get("sequence_number")).longValue())
                          .containsExactlyElementsOf(LongStream.range(0, 1 + writers * perWriter).boxed().toList());
        List<Object> storedEntries = stored.stream().skip(1).map(row -> row.get("entry_id")).toList();
        assertThat(storedEntries).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acknowledged);
        // The event table's identity is its own and nothing was rolled back: the global index has no gaps.
        Map<String, Object> index = jdbc.sql("SELECT MIN(global_index) lo, MAX(global_index) hi, COUNT(*) n "
                                                     + "FROM domain_event_entry").query().singleRow();
        assertThat(((Number) index.get("hi")).longValue() - ((Number) index.get("lo")).longValue() + 1)
                .isEqualTo(((Number) index.get("n")).longValue());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT COUNT(*) FROM case_history WHERE case_id = ?").param(caseId)
                    .query(Long.class).single()).isEqualTo(1L + writers * perWriter));
    }

    @Test
    void givenABulkBatchOfWholeJourneys_whenRecorded_thenAllEventsAreStoredAndProjected() {
        BulkRecording bulk = ledger.getBean(BulkRecording.class);
        List<CaseCommand> batch = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> batch.addAll(Journeys.journey("bulk-ok-" + i)));

        List<String> entries = bulk.record("import:test", batch);

        assertThat(entries).containsExactlyElementsOf(batch.stream().map(CaseCommand::entryId).toList());
        assertThat(eventsOfCasesLike("bulk-ok-%")).isEqualTo(20L * Journeys.EVENTS_PER_JOURNEY);
        assertThat(jdbc.sql("""
                            SELECT COUNT(*) FROM domain_event_entry
                            WHERE aggregate_identifier LIKE 'bulk-ok-%'
                              AND convert_from(meta_data, 'UTF8')::json->>'recordedBy' = 'import:test'""")
                       .query(Long.class).single()).isEqualTo(20L * Journeys.EVENTS_PER_JOURNEY);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT COUNT(*) FROM case_view WHERE case_id LIKE 'bulk-ok-%' AND status = 'RESOLVED'")
                    .query(Long.class).single()).isEqualTo(20L));
    }

    @Test
    void givenABulkBatchWithOneRefusedCommand_whenRecorded_thenNothingOfTheBatchIsStoredAndTheCaseIsNamed() {
        BulkRecording bulk = ledger.getBean(BulkRecording.class);
        List<CaseCommand> batch = new ArrayList<>();
        IntStream.range(0, 5).forEach(i -> batch.addAll(Journeys.journey("bulk-bad-" + i)));
        // The third case's extra handover comes from a unit that does not hold the case.
        batch.add(13, new HandOverCaseCommand("bulk-bad-2", "bulk-bad-2-wrong", "pension-office", "back-office",
                                              HandoverReason.CAPACITY, null, Journeys.START.plusSeconds(700)));

        assertThatThrownBy(() -> bulk.record("import:test", batch))
                .isInstanceOfSatisfying(BulkRecording.BatchRejected.class, rejected -> {
                    assertThat(rejected.caseId()).isEqualTo("bulk-bad-2");
                    assertThat(rejected.entryId()).isEqualTo("bulk-bad-2-wrong");
                    assertThat(rejected.index()).isEqualTo(13);
                    assertThat(rejected.violation().field()).isEqualTo("fromUnit");
                    assertThat(rejected).hasMessageContaining("bulk-bad-2");
                });
        assertThat(eventsOfCasesLike("bulk-bad-%")).isZero();
    }

    @Test
    void givenALongCase_whenLoadedFromItsSnapshot_thenTheSnapshotHoldsAllItsStateAndItsRulesStillApply()
            throws Exception {
        CommandGateway commands = ledger.getBean(CommandGateway.class);
        String caseId = "snapshot-1";
        commands.sendAndWait(Journeys.open(caseId, Journeys.START));
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                Journeys.contact(caseId, "keyed", Journeys.START.plusSeconds(30))).andMetaData(
                Map.of(LedgerMetadata.IDEMPOTENCY_KEY, "key-1", LedgerMetadata.REQUEST_FINGERPRINT, "print-1")));
        for (int i = 0; i < 30; i++) {
            commands.sendAndWait(Journeys.contact(caseId, "e" + i, Journeys.START.plusSeconds(60L + i)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?").param(caseId)
                                                               .query(Long.class).single() > 0);

        Map<String, Object> snapshot = jdbc.sql("""
                SELECT payload, payload_type, payload_revision FROM snapshot_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1""")
                                           .param(caseId).query().singleRow();
        Serializer serializer = ledger.getBean(Serializer.class);
        byte[] payload = (byte[]) snapshot.get("payload");
        Object restored = serializer.deserialize(new SimpleSerializedObject<>(
                payload, byte[].class, (String) snapshot.get("payload_type"), (String) snapshot.get("payload_revision")));
        ObjectMapper json = new ObjectMapper();
        JsonNode stored = json.readTree(payload);
        JsonNode again = json.readTree(serializer.serialize(restored, byte[].class).getData());
        assertThat(sorted(again)).isEqualTo(sorted(stored));
        assertThat(stored.at("/correctable/e0/@class").asText()).endsWith("ContactRecorded");
        assertThat(stored.at("/idempotencyKeys/seen/key-1/entryId").asText()).isEqualTo("keyed");
        assertThat(stored.get("holder").asText()).isEqualTo("contact-center");

        assertThatThrownBy(() -> commands.sendAndWait(
                Journeys.contact(caseId, "e1", Journeys.START.plusSeconds(500))))
                .hasMessageContaining("entry e1 is already recorded");
        Object retried = commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                Journeys.contact(caseId, "keyed-again", Journeys.START.plusSeconds(30))).andMetaData(
                Map.of(LedgerMetadata.IDEMPOTENCY_KEY, "key-1", LedgerMetadata.REQUEST_FINGERPRINT, "print-1")));
        assertThat(retried).isEqualTo("keyed");
        commands.sendAndWait(new CorrectEntryCommand(caseId, "fix-e2", "e2", "recorded on the wrong case", null,
                                                     true, Journeys.START.plusSeconds(900)));
        assertThatThrownBy(() -> commands.sendAndWait(new CorrectEntryCommand(
                caseId, "fix-e2-again", "e2", "again", null, true, Journeys.START.plusSeconds(901))))
                .hasMessageContaining("declared void");
    }

    /** The tree with every array's elements in a fixed order: sets have no order of their own. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isArray()) {
            ArrayNode sortedArray = JsonNodeFactory.instance.arrayNode();
            StreamSupport.stream(node.spliterator(), false).map(PostgresProfileTest::sorted)
                         .sorted(Comparator.comparing(JsonNode::toString))
                         .forEach(sortedArray::add);
            return sortedArray;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), sorted(field.getValue())));
            return copy;
        }
        return node;
    }

    private static long eventsOfCasesLike(String pattern) {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier LIKE ?")
                   .param(pattern).query(Long.class).single();
    }
}
