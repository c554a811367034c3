package dk.casejourney.audit;

import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
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

    @Bean
    SmartInitializingSingleton eventChainRegistration(EventStore eventStore,
                                                      @Qualifier("eventSerializer") Serializer eventSerializer) {
        return () -> eventStore.registerDispatchInterceptor(new ChainingInterceptor(eventSerializer,
                                                                                    () -> eventStore));
    }

    /** Reads of personal data through the query bus are recorded with who asked and why. */
    @Bean
    SmartInitializingSingleton accessLogRegistration(QueryGateway queryGateway, QueryBus queryBus,
                                                     AccessLogStore store, Pseudonymizer pseudonymizer, Clock clock) {
        return () -> {
            queryGateway.registerDispatchInterceptor(new AccessContext());
            queryBus.registerHandlerInterceptor(new AccessRecorder(store, pseudonymizer, clock));
        };
    }
}
