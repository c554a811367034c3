package dk.casejourney.privacy;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

    /** Injected into command handlers as an Axon resource, like the {@link Pseudonymizer}. */
    @Bean
    PersonalDataVault personalDataVault(JdbcClient jdbc, Clock clock) {
        return new PersonalDataVault(new JdbcCitizenKeys(jdbc, clock));
    }
}
