package dk.casejourney.common;

import dk.casejourney.privacy.Pseudonymizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The ledger's clock and the pseudonym key: the only sources of time and of secrets. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Pseudonymizer pseudonymizer(@Value("${ledger.privacy.pseudonym-secret}") String secret) {
        return new Pseudonymizer(secret);
    }
}
