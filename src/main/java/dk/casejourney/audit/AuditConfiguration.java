package dk.casejourney.audit;

import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * Puts the hash chain on the event store. Axon's auto-configuration would register a dispatch interceptor
 * bean on the event gateway only, while aggregates publish straight to the event bus: so the interceptor is
 * registered on the store itself. The same goes for the access log's interceptors: they are registered here
 * once, and are deliberately not beans of their own.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(AccessLogProperties.class)
class AuditConfiguration {

    /** The chain key and the checkpoint signing key: configuration only, never the database. */
    @Bean
    LedgerKeys ledgerKeys(@Value("${ledger.audit.chain-key:}") String chainKey,
                          @Value("${ledger.audit.signing-key:}") String signingKey) {
        LedgerKeys keys = new LedgerKeys(chainKey, signingKey);
        if (keys.demo()) {
            LoggerFactory.getLogger(AuditConfiguration.class).warn(
                    "The hash chain and checkpoints use the public demo keys: set ledger.audit.chain-key and "
                            + "ledger.audit.signing-key before real use (see docs/security.md)");
        }
        return keys;
    }

    @Bean
    SmartInitializingSingleton eventChainRegistration(EventStore eventStore,
                                                      @Qualifier("eventSerializer") Serializer eventSerializer,
                                                      LedgerKeys keys) {
        return () -> eventStore.registerDispatchInterceptor(new ChainingInterceptor(eventSerializer,
                                                                                    () -> eventStore, keys));
    }

    /** Reads of personal data through the query bus are recorded with who asked and why. */
    @Bean
    SmartInitializingSingleton accessLogRegistration(QueryGateway queryGateway, QueryBus queryBus,
                                                     AccessLogStore store, Pseudonymizer pseudonymizer,
                                                     PersonalDataVault vault, Clock clock) {
        return () -> {
            queryGateway.registerDispatchInterceptor(new AccessContext());
            queryBus.registerHandlerInterceptor(new AccessRecorder(store, pseudonymizer, vault, clock));
        };
    }
}
