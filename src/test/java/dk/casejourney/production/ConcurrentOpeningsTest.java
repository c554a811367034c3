package dk.casejourney.production;

import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Issue 11: with several clients opening cases at once on Axon Server, cases were shown as erased although no
 * citizen was: the citizen's new key reached PostgreSQL after the event reached the projection. The same
 * concurrent openings on every profile; no case may be shown erased.
 */
class ConcurrentOpeningsTest {

    @Test
    void givenTheEmbeddedProfile_whenClientsOpenCasesForNewCitizensAtOnce_thenNoCaseIsShownErased(@TempDir Path data)
            throws Exception {
        try (ConfigurableApplicationContext ledger = new SpringApplicationBuilder(LedgerApplication.class).run(
                "--ledger.data-dir=" + data, "--spring.main.web-application-type=none", "--logging.level.root=WARN")) {
            List<String> cases = ConcurrentOpenings.open(ledger, "emb");
            ConcurrentOpenings.assertNoneShownErased(ledger, cases);
        }
    }

    @Test
    void givenThePostgresProfile_whenClientsOpenCasesForNewCitizensAtOnce_thenNoCaseIsShownErased() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("concpg");
             ConfigurableApplicationContext ledger = Ledger.start("postgres", schema,
                                                                  "spring.main.web-application-type=none")) {
            List<String> cases = ConcurrentOpenings.open(ledger, "pg");
            ConcurrentOpenings.assertNoneShownErased(ledger, cases);
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "AXONSERVER_ADDRESS", matches = ".+",
            disabledReason = "needs a running Axon Server: set AXONSERVER_ADDRESS=host:8124 (see axonserver/README.md)")
    void givenTheAxonServerProfile_whenClientsOpenCasesForNewCitizensAtOnce_thenNoCaseIsShownErased()
            throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("concax");
             ConfigurableApplicationContext ledger = Ledger.start(
                     "axonserver", schema, "axon.axonserver.servers=" + System.getenv("AXONSERVER_ADDRESS"),
                     "spring.main.web-application-type=none")) {
            // Case ids of their own: the server's context outlives this test's schema.
            List<String> cases = ConcurrentOpenings.open(ledger, "ax-conc-" + UUID.randomUUID().toString().substring(0, 8));
            ConcurrentOpenings.assertNoneShownErased(ledger, cases);
        }
    }
}
