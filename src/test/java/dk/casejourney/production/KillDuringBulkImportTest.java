package dk.casejourney.production;

import dk.casejourney.LedgerApplication;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.privacy.api.CitizenKeyFiles;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ledger process killed with SIGKILL in the middle of a bulk import on PostgreSQL loses no acknowledged
 * batch, leaves no half-imported case or batch, and after a restart its read model catches up to exactly what
 * a rebuild from the ledger gives; on both stores every acknowledged case's new citizen keeps their key.
 */
class KillDuringBulkImportTest {

    private PostgresSchema schema;
    private Process importer;
    private ConfigurableApplicationContext restarted;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create("kill");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (importer != null) {
            importer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (restarted != null) {
            restarted.close();
        }
        schema.close();
    }

    @Test
    void givenABulkImportKilledHard_whenTheLedgerRestarts_thenEveryAcknowledgedBatchIsWholeAndProjectionsMatchARebuild()
            throws Exception {
        Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
        importer = startImporter(acknowledged);
        // A bound, not a speed expectation: it ends as soon as four batches are in (or the importer died); a JVM that
        // starts Spring and Axon on a machine loaded by other builds may need minutes before its first batch.
        await().atMost(Duration.ofSeconds(180)).until(() -> acknowledged.size() >= 4 || !importer.isAlive());
        assertThat(importer.isAlive()).as("the importer runs until it is killed").isTrue();
        // Process.destroyForcibly sends SIGKILL on Unix: no shutdown hook, no rollback by the process itself.
        importer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Set<Integer> reported = new TreeSet<>(acknowledged);

        List<Map<String, Object>> perCase;
        try (SingleConnectionDataSource direct = new SingleConnectionDataSource(schema.url(), PostgresSchema.USER,
                                                                                PostgresSchema.PASSWORD, false)) {
            perCase = JdbcClient.create(direct).sql("""
                SELECT aggregate_identifier AS case_id, COUNT(*) AS events, MAX(sequence_number) AS last
                FROM domain_event_entry GROUP BY aggregate_identifier""").query().listOfRows();
        }
        Map<Integer, Integer> casesPerBatch = new TreeMap<>();
        for (Map<String, Object> row : perCase) {
            assertThat(((Number) row.get("events")).intValue()).as("events of " + row.get("case_id"))
                                                              .isEqualTo(Journeys.EVENTS_PER_JOURNEY);
            assertThat(((Number) row.get("last")).intValue()).isEqualTo(Journeys.EVENTS_PER_JOURNEY - 1);
            String caseId = (String) row.get("case_id");
            casesPerBatch.merge(Integer.parseInt(caseId.substring(1, caseId.indexOf('-'))), 1, Integer::sum);
        }
        System.out.println("killed after " + reported.size() + " reported batches; batches stored: "
                                   + casesPerBatch.size());
        assertThat(casesPerBatch.values()).as("no half-imported batch").containsOnly(BulkImportProcess.CASES_PER_BATCH);
        assertThat(casesPerBatch.keySet()).as("every acknowledged batch is stored").containsAll(reported);
        // At most the batch in flight may have committed without being reported before the kill.
        assertThat(casesPerBatch.size()).isBetween(reported.size(), reported.size() + 1);

        restarted = Ledger.start("postgres", schema, "spring.main.web-application-type=none");
        JdbcClient jdbc = restarted.getBean(JdbcClient.class);
        long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single()).isEqualTo(events));
        List<Map<String, Object>> caughtUp = figures(jdbc);
        assertThat(caughtUp).hasSize(casesPerBatch.size() * BulkImportProcess.CASES_PER_BATCH);
        everyCaseShowsItsCprNumber(restarted, reported);

        PooledStreamingEventProcessor caseViews = restarted.getBean(EventProcessingConfiguration.class)
                .eventProcessor("case-views", PooledStreamingEventProcessor.class).orElseThrow();
        caseViews.shutDown();
        caseViews.resetTokens();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single()).isZero();
        caseViews.start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single()).isEqualTo(events));
        assertThat(figures(jdbc)).isEqualTo(caughtUp);
    }

    /**
     * The embedded store, every case for a new citizen: a batch's new citizens' keys go to one key file of the
     * batch's, forced just before its commit. Killed hard, every acknowledged case must still show its citizen's
     * CPR number after a restart: the key that sealed it was durable before the batch was acknowledged.
     */
    @Test
    void givenABulkImportOfNewCitizensKilledHardOnTheEmbeddedStore_whenTheLedgerRestarts_thenEveryAcknowledgedCaseShowsItsCprNumber(
            @TempDir Path dataDir) throws Exception {
        Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
        importer = startImporter(acknowledged, "-Dbulk.store=embedded", "--ledger.data-dir=" + dataDir,
                                 "--logging.level.root=WARN");
        // As above: a bound, not a speed expectation.
        await().atMost(Duration.ofSeconds(180)).until(() -> acknowledged.size() >= 6 || !importer.isAlive());
        assertThat(importer.isAlive()).as("the importer runs until it is killed").isTrue();
        importer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Set<Integer> reported = new TreeSet<>(acknowledged);
        long batchFiles;
        try (Stream<Path> files = Files.list(dataDir.resolve(CitizenKeyFiles.FOLDER))) {
            batchFiles = files.filter(file -> file.getFileName().toString().startsWith("batch-")).count();
        }
        assertThat(batchFiles).as("the batches' keys were written a file per batch").isGreaterThanOrEqualTo(reported.size());

        restarted = new SpringApplicationBuilder(LedgerApplication.class).web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--logging.level.root=WARN");
        everyCaseShowsItsCprNumber(restarted, reported);
        System.out.println("killed after " + reported.size() + " reported batches; key files of batches: " + batchFiles);
    }

    /** Every acknowledged case shows its citizen's CPR number: the key that sealed it was kept. */
    private static void everyCaseShowsItsCprNumber(ConfigurableApplicationContext ledger, Set<Integer> batches) {
        QueryGateway queries = ledger.getBean(QueryGateway.class);
        for (int batch : batches) {
            for (int index = 0; index < BulkImportProcess.CASES_PER_BATCH; index++) {
                String caseId = BulkImportProcess.caseId(batch, index);
                String cpr = BulkImportProcess.cpr(batch, index);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        queries.query(new FindCaseQuery(caseId), ResponseTypes.optionalInstanceOf(CaseView.class))
                               .join()).as(caseId).hasValueSatisfying(view -> {
                                   assertThat(view.citizenErased()).isFalse();
                                   assertThat(view.cpr()).as("the CPR number of " + caseId).isEqualTo(cpr);
                               }));
            }
        }
    }

    private Process startImporter(Set<Integer> acknowledged) throws Exception {
        return startImporter(acknowledged, "-Dbulk.store=postgres",
                             "--spring.datasource.url=" + schema.url(),
                             "--spring.datasource.username=" + PostgresSchema.USER,
                             "--spring.datasource.password=" + PostgresSchema.PASSWORD,
                             "--logging.level.root=WARN",
                             // The configured demo users are not used here, but production profiles refuse them otherwise.
                             "--ledger.security.allow-demo-users=true");
    }

    private Process startImporter(Set<Integer> acknowledged, String store, String... arguments) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx384m", "-XX:TieredStopAtLevel=1", store, "-cp", System.getProperty("java.class.path"),
                BulkImportProcess.class.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(BulkImportProcess.COMMITTED)) {
                        acknowledged.add(Integer.parseInt(line.substring(BulkImportProcess.COMMITTED.length())));
                    } else {
                        System.out.println("[importer] " + line);
                    }
                }
            } catch (IOException ignored) {
                // The process was killed: its output ends here.
            }
        }, "importer-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    /** What the read model says, in a stable order: every case's state and every history entry's state. */
    private static List<Map<String, Object>> figures(JdbcClient jdbc) {
        return jdbc.sql("""
                        SELECT v.case_id, v.status, v.holder_unit, v.version, v.last_activity_at,
                               (SELECT COUNT(*) FROM case_history h WHERE h.case_id = v.case_id) AS entries,
                               (SELECT string_agg(h.entry_type || ':' || h.state, ',' ORDER BY h.sequence_number)
                                FROM case_history h WHERE h.case_id = v.case_id) AS timeline
                        FROM case_view v ORDER BY v.case_id""").query().listOfRows();
    }
}
