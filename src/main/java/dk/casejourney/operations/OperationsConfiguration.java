package dk.casejourney.operations;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires operations into Axon: the message monitors, the trace id's way from a request into commands, queries
 * and events, and the chain-verification metrics. Axon's own metrics auto-configuration is switched off
 * ({@code axon.metrics.auto-configuration.enabled=false}) so that only these names exist.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OperationsProperties.class)
class OperationsConfiguration {

    @Bean
    ConfigurerModule ledgerMessageMonitors(MeterRegistry registry, ProcessorFailures failures) {
        // One monitor per component: Axon may ask again, and a second latency monitor's gauge would be ignored.
        Map<String, MessageMonitor<Message<?>>> monitors = new ConcurrentHashMap<>();
        return configurer -> {
            configurer.configureMessageMonitor(config -> (componentType, name) -> monitors.computeIfAbsent(
                    componentType.getName() + "/" + name,
                    key -> MessageMonitors.forComponent(registry, failures, componentType, name)));
            configurer.eventProcessing(processing -> processing.registerDefaultHandlerInterceptor(
                    (config, processor) -> new TraceIds.Handling<>()));
        };
    }

    /** The trace id travels from a command into the metadata of the events it records, beside the others. */
    @Bean
    CorrelationDataProvider traceIdProvider() {
        return new SimpleCorrelationDataProvider(TraceIds.KEY);
    }

    @Bean
    SmartInitializingSingleton traceIdAndVerificationInterceptors(CommandGateway commandGateway,
                                                                  QueryGateway queryGateway, CommandBus commandBus,
                                                                  @Qualifier("localSegment") CommandBus localSegment,
                                                                  QueryBus queryBus, MeterRegistry registry) {
        return () -> {
            commandGateway.registerDispatchInterceptor(new TraceIds.Dispatch<>());
            // Bulk batches (an import's) are sent on the local segment, past the gateway: they carry the id too.
            localSegment.registerDispatchInterceptor(new TraceIds.Dispatch<>());
            queryGateway.registerDispatchInterceptor(new TraceIds.Dispatch<>());
            commandBus.registerHandlerInterceptor(new TraceIds.Handling<>());
            queryBus.registerHandlerInterceptor(new TraceIds.Handling<>());
            queryBus.registerHandlerInterceptor(new ChainVerificationMetrics(registry));
        };
    }

    /** First of all filters, so that even a refused sign-in's log lines carry the request's id. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<TraceIds.Filter> traceIdFilter() {
        FilterRegistrationBean<TraceIds.Filter> registration = new FilterRegistrationBean<>(new TraceIds.Filter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
