package dk.casejourney.production;

import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The "axonserver" profile. Without an Axon Server, only its refusal to start is tested; with one (its
 * host:port in AXONSERVER_ADDRESS), commands, events and the bulk path go through it for real.
 */
class AxonServerProfileTest {

    @Test
    void givenNoAxonServerListening_whenTheLedgerStarts_thenItRefusesToStartWithinSecondsNamingTheAddress()
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
                            .hasMessageContaining("AXONSERVER_SERVERS"));
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "AXONSERVER_ADDRESS", matches = ".+",
            disabledReason = "needs a running Axon Server: set AXONSERVER_ADDRESS=host:8124 (see axonserver/README.md)")
    void givenAnAxonServer_whenCasesAreRecordedLiveAndInBulk_thenTheyAreStoredThereAndProjectedIntoPostgres()
            throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("axon");
             ConfigurableApplicationContext ledger = Ledger.start(
                     "axonserver", schema, "axon.axonserver.servers=" + System.getenv("AXONSERVER_ADDRESS"),
                     "spring.main.web-application-type=none")) {
            // Case ids of their own: the server's context outlives this test's schema.
            String run = UUID.randomUUID().toString().substring(0, 8);
            CommandGateway commands = ledger.getBean(CommandGateway.class);
            Journeys.journey("ax-live-" + run).forEach(commands::sendAndWait);
            List<CaseCommand> batch = new ArrayList<>();
            IntStream.range(0, 5).forEach(i -> batch.addAll(Journeys.journey("ax-bulk-" + run + "-" + i)));
            ledger.getBean(BulkRecording.class).record("import:axonserver-test", batch);

            JdbcClient jdbc = ledger.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    jdbc.sql("SELECT COUNT(*) FROM case_history WHERE case_id LIKE ?").param("ax-%-" + run + "%")
                        .query(Long.class).single()).isEqualTo(6L * Journeys.EVENTS_PER_JOURNEY));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single())
                    .as("events live in Axon Server, not in PostgreSQL").isZero();
        }
    }
}
