package dk.casejourney.production;

import com.fasterxml.jackson.databind.JsonNode;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The "axonserver" profile. Without an Axon Server, only its refusal to start is tested; with one (its
 * host:port in AXONSERVER_ADDRESS, see axonserver/README.md), every feature of the README runs against it:
 * recording live and in bulk, journeys, case and ledger verification with checkpoints, point-in-time replay,
 * a rebuild while writes go on, two instances, erasure and exports.
 */
class AxonServerProfileTest {

    @Test
    void givenNoAxonServerListening_whenTheLedgerStarts_thenItRefusesToStartAfterTheTimeoutNamingTheAddressAndError()
            throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String address = "localhost:" + port;
        try (PostgresSchema schema = PostgresSchema.create("axfail")) {
            Instant start = Instant.now();
            assertThatThrownBy(() -> Ledger.start("axonserver", schema, "axon.axonserver.servers=" + address,
                                                  "ledger.axonserver.startup-timeout=PT2S",
                                                  "spring.main.web-application-type=none").close())
                    .satisfies(failure -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("Axon Server is not reachable at " + address)
                            .hasMessageMatching("(?s).* [0-9]+ checks; last error: " + address + ": ConnectException.*")
                            .hasMessageContaining("within 2 s")
                            .hasMessageContaining("AXONSERVER_SERVERS"));
            // Catches a start that hangs on the connector; the wait itself is the 2 s configured (the context's own
            // start takes most of this on a loaded machine: 10 s at load 30, 34 s at load 35).
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(120));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @EnabledIfEnvironmentVariable(named = "AXONSERVER_ADDRESS", matches = ".+",
            disabledReason = "needs a running Axon Server: set AXONSERVER_ADDRESS=host:8124 (see axonserver/README.md)")
    class WithAnAxonServer {

        private final String address = System.getenv("AXONSERVER_ADDRESS");
        // Case ids of their own: the server's context outlives this run's schema.
        private final String run = UUID.randomUUID().toString().substring(0, 8);
        private final AtomicInteger citizens = new AtomicInteger(ThreadLocalRandom.current().nextInt(1000, 5000));
        private PostgresSchema schema;
        private ConfigurableApplicationContext ledger;
        private CommandGateway commands;
        private JdbcClient jdbc;
        private Http http;

        @BeforeAll
        void start() {
            schema = PostgresSchema.create("axon");
            ledger = Ledger.start("axonserver", schema, "axon.axonserver.servers=" + address,
                                  "ledger.audit.checkpoint-first=PT1H");
            commands = ledger.getBean(CommandGateway.class);
            jdbc = ledger.getBean(JdbcClient.class);
            http = new Http(ledger);
        }

        @AfterAll
        void stop() throws Exception {
            if (ledger != null) {
                ledger.close();
            }
            if (schema != null) {
                schema.close();
            }
        }

        @Test
        void givenAnAxonServer_whenCasesAreRecordedLiveAndInBulk_thenTheyAreStoredThereAndProjectedIntoPostgres()
                throws Exception {
            Journeys.journey("ax-live-" + run).forEach(commands::sendAndWait);
            List<CaseCommand> batch = new ArrayList<>();
            IntStream.range(0, 5).forEach(i -> batch.addAll(Journeys.journey("ax-bulk-" + run + "-" + i)));
            ledger.getBean(BulkRecording.class).record("import:axonserver-test", batch);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    jdbc.sql("SELECT COUNT(*) FROM case_history WHERE case_id = ? OR case_id LIKE ?")
                        .params("ax-live-" + run, "ax-bulk-" + run + "-%")
                        .query(Long.class).single()).isEqualTo(6L * Journeys.EVENTS_PER_JOURNEY));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single())
                    .as("events live in Axon Server, not in PostgreSQL").isZero();
        }

        @Test
        void givenAJourneyInAxonServer_whenItsJourneyIsAsked_thenItIsAnswered() throws Exception {
            String caseId = journey("ax-journey");

            Http.Answer journey = awaitOk("caseworker", "/api/cases/" + caseId + "/journey");

            assertThat(journey.body()).contains(caseId);
        }

        @Test
        void givenCasesInAxonServer_whenCaseAndLedgerAreVerified_thenEveryEventThereIsCheckedAndValid()
                throws Exception {
            String caseId = journey("ax-verify");

            JsonNode theCase = http.get("auditor", "/api/audit/cases/" + caseId + "/verification").json();
            assertThat(theCase.path("valid").asBoolean()).as(theCase.toString()).isTrue();
            assertThat(theCase.path("eventsChecked").asLong()).isEqualTo(Journeys.EVENTS_PER_JOURNEY);

            Http.Answer checkpoint = http.post("admin", "/api/admin/ledger/checkpoints", "");
            assertThat(checkpoint.status()).as(checkpoint.body()).isEqualTo(201);
            assertThat(checkpoint.json().path("aggregates").asLong()).isPositive();
            JsonNode ledgerCheck = http.get("admin", "/api/admin/ledger/verification").json();
            System.out.println("ledger verification against Axon Server: " + ledgerCheck.path("casesChecked")
                                       + " cases, " + ledgerCheck.path("eventsChecked") + " events, "
                                       + ledgerCheck.path("millis") + " ms, store " + ledgerCheck.path("store"));
            assertThat(ledgerCheck.path("valid").asBoolean()).as(ledgerCheck.toString()).isTrue();
            assertThat(ledgerCheck.path("eventsChecked").asLong()).isGreaterThanOrEqualTo(Journeys.EVENTS_PER_JOURNEY);
            assertThat(ledgerCheck.path("casesChecked").asLong()).isPositive();
            assertThat(ledgerCheck.path("store").asText()).startsWith("Axon Server");
            JsonNode signed = ledgerCheck.path("checkpoints").get(0);
            assertThat(signed.path("checkpointId").asLong()).isEqualTo(checkpoint.json().path("id").asLong());
            assertThat(signed.path("headsMatch").asBoolean()).as(signed.toString()).isTrue();
            assertThat(http.get("auditor", "/api/audit/cases/no-such-" + run + "/verification").status())
                    .isEqualTo(404);
        }

        @Test
        void givenAJourneyInAxonServer_whenItIsReplayedAsOfMoments_thenItStandsAsItDidThen() throws Exception {
            String caseId = journey("ax-asof");
            String during = Journeys.START.plus(Duration.ofMinutes(30)).toString();
            String after = Journeys.START.plus(Duration.ofHours(3)).toString();

            JsonNode then = http.get("auditor", "/api/audit/cases/" + caseId + "?asOf=" + during + "&basis=occurred")
                                .json();
            JsonNode later = http.get("auditor", "/api/audit/cases/" + caseId + "?asOf=" + after + "&basis=occurred")
                                 .json();

            assertThat(then.path("state").path("status").asText()).as(then.toString()).isEqualTo("OPEN");
            // Opened, contacted after a minute, handed over after ten; contact and resolution came later.
            assertThat(then.path("events")).hasSize(3);
            assertThat(later.path("state").path("status").asText()).isEqualTo("RESOLVED");
            assertThat(later.path("events")).hasSize(Journeys.EVENTS_PER_JOURNEY);
        }

        @Test
        void givenWritesGoingOn_whenCaseViewsAreRebuilt_thenTheCasesWrittenMeanwhileAreLeftOutAndTheRestIsEqual()
                throws Exception {
            IntStream.range(0, 5).forEach(i -> Journeys.journey("ax-before-rebuild-" + run + "-" + i)
                                                       .forEach(commands::sendAndWait));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    Journeys.journey("ax-during-rebuild-" + run + "-" + written.incrementAndGet())
                            .forEach(commands::sendAndWait);
                }
            });
            writer.start();
            JsonNode rebuild;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= 2);
                Http.Answer started = http.post("admin", "/api/admin/projections/case-views/rebuilds", "");
                assertThat(started.status()).as(started.body()).isEqualTo(202);
                String id = started.json().path("id").asText();
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    String phase = http.get("admin", "/api/admin/projections/case-views/rebuilds/" + id).json()
                                       .path("phase").asText();
                    return phase.equals("DONE") || phase.equals("FAILED");
                });
                rebuild = http.get("admin", "/api/admin/projections/case-views/rebuilds/" + id).json();
            } finally {
                writing.set(false);
                writer.join(60_000);
            }
            System.out.println("rebuild of case-views against Axon Server, writes going on: " + rebuild);
            assertThat(rebuild.path("phase").asText()).as(rebuild.toString()).isEqualTo("DONE");
            assertThat(rebuild.path("verification").path("excludedCases").asLong()).as(rebuild.toString()).isPositive();
            assertThat(rebuild.path("verification").path("equal").asBoolean()).as(rebuild.toString()).isTrue();
        }

        @Test
        void givenTwoInstancesOnOneAxonServer_whenOneRecords_thenTheOtherAnswers() throws Exception {
            try (ConfigurableApplicationContext second = Ledger.start(
                    "axonserver", schema, "axon.axonserver.servers=" + address,
                    "spring.main.web-application-type=none")) {
                String caseId = "ax-second-" + run;
                Journeys.journey(caseId).forEach(second.getBean(CommandGateway.class)::sendAndWait);

                Http.Answer view = awaitOk("caseworker", "/api/cases/" + caseId);
                assertThat(view.json().path("status").asText()).isEqualTo("RESOLVED");
                JsonNode verified = http.get("auditor", "/api/audit/cases/" + caseId + "/verification").json();
                assertThat(verified.path("valid").asBoolean()).as(verified.toString()).isTrue();
            }
        }

        @Test
        void givenTwoInstancesOnOneAxonServer_whenARebuildIsStartedOnOne_thenItRunsOnBothAndTheOtherAnswersItsProgress()
                throws Exception {
            try (ConfigurableApplicationContext second = Ledger.start(
                    "axonserver", schema, "axon.axonserver.servers=" + address)) {
                Http other = new Http(second);
                IntStream.range(0, 3).forEach(i -> Journeys.journey("ax-two-rebuild-" + run + "-" + i)
                                                           .forEach(second.getBean(CommandGateway.class)::sendAndWait));
                Http.Answer started = http.post("admin", "/api/admin/projections/journey-figures/rebuilds", "");
                assertThat(started.status()).as(started.body()).isEqualTo(202);
                String id = started.json().path("id").asText();
                String path = "/api/admin/projections/journey-figures/rebuilds/" + id;
                // The state is in the database: the other instance knows the rebuild at once.
                Http.Answer seen = other.get("admin", path);
                assertThat(seen.status()).as(seen.body()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    String phase = other.get("admin", path).json().path("phase").asText();
                    return phase.equals("DONE") || phase.equals("FAILED");
                });
                JsonNode rebuild = other.get("admin", path).json();
                assertThat(rebuild.path("phase").asText()).as(rebuild.toString()).isEqualTo("DONE");
                assertThat(rebuild.path("verification").path("equal").asBoolean()).as(rebuild.toString()).isTrue();
            }
        }

        @Test
        void givenACitizenInAxonServer_whenErased_thenTheirCaseShowsErasedAndItsChainStillHolds() throws Exception {
            String cpr = String.format("%02d0590%04d", 1 + citizens.get() % 28, citizens.incrementAndGet());
            String caseId = "ax-erase-" + run;
            commands.sendAndWait(new OpenCaseCommand(caseId, caseId + "-open", cpr, CitizenGroup.ELDERLY,
                                                     ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE,
                                                     "contact-center", Journeys.START));
            JsonNode before = awaitOk("caseworker", "/api/cases/" + caseId).json();
            assertThat(before.path("citizenErased").asBoolean()).isFalse();
            assertThat(before.path("cpr").asText()).isEqualTo(cpr);

            Http.Answer erased = http.post("admin", "/api/citizens/erasures", "{\"cpr\":\"" + cpr + "\"}");
            assertThat(erased.status()).as(erased.body()).isBetween(200, 201);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode after = http.get("caseworker", "/api/cases/" + caseId).json();
                assertThat(after.path("citizenErased").asBoolean()).isTrue();
                assertThat(after.path("cpr").isMissingNode() || after.path("cpr").isNull()).isTrue();
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
                    "SELECT COUNT(*) FROM case_citizen WHERE case_id = ? AND sealed_cpr IS NULL").param(caseId)
                                                                   .query(Long.class).single() == 1);
            assertThat(http.get("auditor", "/api/audit/cases/" + caseId + "/verification").json()
                           .path("valid").asBoolean()).isTrue();
        }

        @Test
        void givenJourneysInAxonServer_whenExportedAsXesAndOcel_thenTheyAreInTheExports() throws Exception {
            String caseId = journey("ax-export");
            String period = "?from=2012-03-05&to=2012-03-05";
            await().atMost(Duration.ofSeconds(60)).until(() -> http.get("manager", "/api/exports/xes" + period)
                                                                   .body().contains(caseId));

            Http.Answer xes = http.get("manager", "/api/exports/xes" + period);
            Http.Answer ocel = http.get("manager", "/api/exports/ocel" + period);

            assertThat(xes.status()).isEqualTo(200);
            assertThat(xes.body()).contains(caseId).doesNotContain("0101801234");
            assertThat(ocel.status()).isEqualTo(200);
            assertThat(ocel.json().path("objects").toString()).contains(caseId);
        }

        /** A whole journey through Axon Server, projected: answers its case id. */
        private String journey(String prefix) {
            String caseId = prefix + "-" + run;
            Journeys.journey(caseId).forEach(commands::sendAndWait);
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
                    "SELECT COUNT(*) FROM case_history WHERE case_id = ?").param(caseId).query(Long.class).single()
                    == Journeys.EVENTS_PER_JOURNEY);
            return caseId;
        }

        private Http.Answer awaitOk(String user, String path) {
            Http.Answer[] answer = new Http.Answer[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> (answer[0] = http.get(user, path)).status() == 200);
            return answer[0];
        }
    }
}
