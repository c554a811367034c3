package dk.casejourney.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Identifiers;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild's replay of a ledger written the way live work writes it, each case's events far apart, over many of
 * the replay's batches (20 events here, so that a few hundred events span many; reading ahead ten batches). Most
 * cases have their next event within the read-ahead, so their figure rows wait for their last batch; the cases
 * opened first have theirs beyond it, so their rows are written early and replaced. One case's last event cannot be
 * read, so its rows wait for an event that never reaches the read model. Every event is replayed once and the
 * rebuilt read models verify equal to the ones built live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayAcrossBatchesTest {

    private static final int CASES = 150;
    private static final int EARLY = 30;
    private static final Instant T = Instant.parse("2025-03-03T08:00:00Z");

    @TempDir
    static Path dataDir;
    private ConfigurableApplicationContext app;

    @BeforeAll
    void start() {
        app = new SpringApplicationBuilder(LedgerApplication.class).web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off",
                     "--ledger.processors.batch-size=20");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void givenCasesWrittenFarApartOverManyBatches_whenBothReadModelsAreRebuilt_thenEveryEventIsReplayedAndVerifiesEqual() {
        CommandGateway commands = app.getBean(CommandGateway.class);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        // The early cases' openings lie more than the read-ahead before their contacts; every other case's three
        // events lie CASES positions apart.
        for (int i = 0; i < EARLY; i++) {
            open(commands, "early-" + i);
        }
        for (int i = 0; i < CASES; i++) {
            open(commands, "case-" + i);
        }
        for (int i = 0; i < CASES; i++) {
            contact(commands, "case-" + i);
        }
        for (int i = 0; i < CASES; i++) {
            commands.sendAndWait(new ResolveCaseCommand("case-" + i, "r", "KBH-KC", T.plusSeconds(3_600)));
        }
        for (int i = 0; i < EARLY; i++) {
            contact(commands, "early-" + i);
        }
        // case-0's fourth event cannot be read: both read models park it, and case-0's rows stay those of its
        // first three. In the replay it lies within the read-ahead of case-0's third, which therefore waits for it.
        storeUnreadableContact(jdbc, "case-0", 3);
        long events = EARLY * 2L + CASES * 3L;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(keptEvents(jdbc)).isEqualTo(events);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM case_history").query(Long.class).single()).isEqualTo(events);
            assertThat(jdbc.sql("SELECT COUNT(DISTINCT processing_group) FROM dead_letter_entry "
                                        + "WHERE sequence_identifier = 'case-0'").query(Long.class).single())
                    .isEqualTo(2);
        });

        // Its rows as built live: the verification compares them by digest, this by value.
        List<Map<String, Object>> case0 = rowsOf(jdbc, "case-0");
        assertThat(case0).isNotEmpty();

        for (String group : new String[]{"journey-figures", "case-views"}) {
            Rebuild rebuild = rebuild(group);

            assertThat(rebuild.phase()).as(rebuild.toString()).isEqualTo(Rebuild.Phase.DONE);
            assertThat(rebuild.eventsTotal()).isEqualTo(events + 1);
            assertThat(rebuild.eventsDone()).isEqualTo(events + 1);
            assertThat(rebuild.verification().equal()).as(rebuild.verification().toString()).isTrue();
            // Every case compared: nothing was recorded after the copy.
            assertThat(rebuild.verification().excludedCases()).as(rebuild.toString()).isZero();
            // A row per event in the history, a row per case of kept events.
            assertThat(rebuild.verification().tables())
                    .filteredOn(table -> table.table().equals("journey_case_events")
                            || table.table().equals("case_history"))
                    .singleElement().satisfies(table -> assertThat(table.rowsAfter()).as(rebuild.toString())
                            .isEqualTo(table.table().equals("case_history") ? events : EARLY + CASES));
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_case WHERE status = 'RESOLVED'").query(Long.class).single())
                .isEqualTo(CASES);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_contact").query(Long.class).single())
                .isEqualTo(EARLY + CASES);
        assertThat(rowsOf(jdbc, "case-0")).isEqualTo(case0);
    }

    /** A case's journey rows that a rebuild reproduces (journey_case's durations run to the moment computed). */
    private static List<Map<String, Object>> rowsOf(JdbcClient jdbc, String caseId) {
        List<Map<String, Object>> rows = new ArrayList<>(jdbc.sql(
                "SELECT case_id, status, events, touchpoints FROM journey_case WHERE case_id = ?").param(caseId)
                                                              .query().listOfRows());
        for (String table : List.of("journey_contact", "journey_path")) {
            rows.addAll(jdbc.sql("SELECT * FROM " + table + " WHERE case_id = ? ORDER BY 1, 2, 3").param(caseId)
                            .query().listOfRows());
        }
        rows.addAll(jdbc.sql("SELECT * FROM journey_case_events WHERE case_id = ?").param(caseId).query().listOfRows());
        return rows;
    }

    /** Stores an event as if recorded earlier: a copy of the case's first contact, its payload cut short. */
    private static void storeUnreadableContact(JdbcClient jdbc, String caseId, long sequenceNumber) {
        Map<String, Object> model = jdbc.sql("""
                SELECT meta_data, payload_revision, payload_type FROM domain_event_entry
                WHERE aggregate_identifier = ? AND sequence_number = 1""").param(caseId).query().singleRow();
        jdbc.sql("""
                INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                    meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, ?, 'CaseAggregate', ?, ?, ?, ?, ?, ?)""")
            .params(caseId, sequenceNumber, UUID.randomUUID().toString(), model.get("meta_data"),
                    ("{\"caseId\":\"" + caseId + "\",\"occurredAt\":").getBytes(StandardCharsets.UTF_8),
                    model.get("payload_revision"), model.get("payload_type"), Instant.now().toString())
            .update();
    }

    private Rebuild rebuild(String group) {
        CommandGateway commands = app.getBean(CommandGateway.class);
        QueryGateway queries = app.getBean(QueryGateway.class);
        String id = commands.sendAndWait(new StartRebuildCommand(group, Identifiers.random()));
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(
                () -> queries.query(new FindRebuildQuery(group, id), ResponseTypes.optionalInstanceOf(Rebuild.class))
                             .join().orElseThrow(),
                rebuild -> rebuild.phase() == Rebuild.Phase.DONE || rebuild.phase() == Rebuild.Phase.FAILED);
    }

    private static void open(CommandGateway commands, String caseId) {
        commands.sendAndWait(new OpenCaseCommand(caseId, "o", "0101801234", CitizenGroup.OTHER, ServiceArea.HOUSING_BENEFIT,
                                                 "101", Channel.PHONE, "KBH-KC", T));
    }

    private static void contact(CommandGateway commands, String caseId) {
        commands.sendAndWait(new RecordContactCommand(caseId, "k", Channel.PHONE, Direction.INBOUND, "KBH-KC", "cc-1",
                                                      ContactPurpose.APPLICATION, null, T.plusSeconds(60),
                                                      T.plusSeconds(600)));
    }

    /** The events journey-figures keeps, over all its cases' rows. */
    private static long keptEvents(JdbcClient jdbc) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        long events = 0;
        for (String json : jdbc.sql("SELECT events FROM journey_case_events").query(String.class).list()) {
            events += mapper.readTree(json).size();
        }
        return events;
    }
}
