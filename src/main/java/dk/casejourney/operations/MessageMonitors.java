package dk.casejourney.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.queryhandling.QueryBus;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Axon's own Micrometer monitors (axon-micrometer), named by the ledger's conventions instead of Axon's
 * defaults: commands and queries timed by type with a latency histogram, events appended by type, and per
 * processor the events handled, their handling time and how old the last handled event was.
 */
final class MessageMonitors {

    static final String COMMANDS = "ledger.commands";
    static final String QUERIES = "ledger.queries";
    static final String EVENTS = "ledger.events";
    static final String PROCESSOR = "ledger.processor";

    private MessageMonitors() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static MessageMonitor<Message<?>> forComponent(MeterRegistry registry, ProcessorFailures failures,
                                                  Class<?> componentType, String name) {
        if (CommandBus.class.isAssignableFrom(componentType)) {
            return handled(registry, COMMANDS, MessageMonitors::byType);
        }
        if (QueryBus.class.isAssignableFrom(componentType)) {
            return handled(registry, QUERIES, MessageMonitors::byType);
        }
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            Function<Message<?>, Iterable<Tag>> processor = message -> Tags.of("processor", name);
            MessageMonitor latency = EventProcessorLatencyMonitor.builder().meterNamePrefix(PROCESSOR)
                                                                 .meterRegistry(registry).tagsBuilder(processor)
                                                                 .build();
            return new MultiMessageMonitor<>(List.of(handled(registry, PROCESSOR, processor), latency,
                                                    (MessageMonitor) failures.monitor(name)));
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            return (MessageMonitor) MessageCountingMonitor.buildMonitor(EVENTS, registry, MessageMonitors::byType);
        }
        return NoOpMessageMonitor.instance();
    }

    private static MessageMonitor<Message<?>> handled(MeterRegistry registry, String prefix,
                                                      Function<Message<?>, Iterable<Tag>> tags) {
        MessageTimerMonitor timer = MessageTimerMonitor.builder()
                .meterNamePrefix(prefix)
                .meterRegistry(registry)
                .tagsBuilder(tags)
                // Buckets for Prometheus' histogram_quantile, from 1 ms to 30 s.
                .timerCustomization(builder -> builder.publishPercentileHistogram()
                                                      .minimumExpectedValue(Duration.ofMillis(1))
                                                      .maximumExpectedValue(Duration.ofSeconds(30)))
                .build();
        return new MultiMessageMonitor<>(List.of(timer, MessageCountingMonitor.buildMonitor(prefix, registry, tags)));
    }

    /** The payload's simple name: commands, queries and events are a fixed, small set of classes. */
    private static Iterable<Tag> byType(Message<?> message) {
        return Tags.of("type", message.getPayloadType().getSimpleName());
    }
}
