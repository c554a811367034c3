package dk.casejourney.production;

import dk.casejourney.LedgerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** Starts the whole application, as an instance of a deployment would, on a test's own schema. */
final class Ledger {

    private Ledger() {
    }

    static ConfigurableApplicationContext start(String profile, PostgresSchema schema, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=" + schema.url(),
                "spring.datasource.username=" + PostgresSchema.USER,
                "spring.datasource.password=" + PostgresSchema.PASSWORD,
                "spring.datasource.hikari.maximum-pool-size=8",
                "server.port=0",
                // A killed or stopped instance's segments are free again after this, not after Axon's 10 s.
                "axon.eventhandling.tokenstore.claim-timeout=2s",
                "logging.level.root=WARN",
                // The tests sign in as the demo users, which production profiles otherwise refuse.
                "ledger.security.allow-demo-users=true"));
        all.addAll(List.of(properties));
        // As command-line arguments, so they win over the profile's own settings and its environment defaults.
        return new SpringApplicationBuilder(LedgerApplication.class)
                .profiles(profile)
                .run(all.stream().map(property -> "--" + property).toArray(String[]::new));
    }
}
