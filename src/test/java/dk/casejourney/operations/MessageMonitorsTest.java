package dk.casejourney.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class MessageMonitorsTest {

    record OpenCase(String caseId) {
    }

    record CloseCase(String caseId) {
    }

    /**
     * The Prometheus exposition (what operators scrape): every series by name and labels (quantiles and histogram
     * buckets included), with the value only where it does not depend on timing (counts).
     */
    private static Map<String, String> meters(PrometheusMeterRegistry registry) {
        Map<String, String> series = new TreeMap<>();
        for (String line : registry.scrape().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name = line.substring(0, line.lastIndexOf(' '));
            boolean counted = name.contains("_total") || name.contains("_count");
            series.put(name, counted ? line.substring(line.lastIndexOf(' ') + 1) : "");
        }
        return series;
    }

    private static void monitor(MessageMonitor<Message<?>> monitor, List<Message<?>> messages) {
        for (int index = 0; index < messages.size(); index++) {
            MessageMonitor.MonitorCallback callback = monitor.onMessageIngested(messages.get(index));
            switch (index % 3) {
                case 0 -> callback.reportSuccess();
                case 1 -> callback.reportFailure(new IllegalStateException("refused"));
                default -> callback.reportIgnored();
            }
        }
    }

    /** What axon-micrometer's own monitors, configured as the ledger configured them before, register. */
    private static MessageMonitor<Message<?>> axons(MeterRegistry registry, String prefix,
                                                   Function<Message<?>, Iterable<io.micrometer.core.instrument.Tag>> tags) {
        MessageTimerMonitor timer = MessageTimerMonitor.builder().meterNamePrefix(prefix).meterRegistry(registry)
                .tagsBuilder(tags)
                .timerCustomization(builder -> builder.publishPercentileHistogram()
                                                      .minimumExpectedValue(Duration.ofMillis(1))
                                                      .maximumExpectedValue(Duration.ofSeconds(30)))
                .build();
        MessageCountingMonitor counter = MessageCountingMonitor.buildMonitor(prefix, registry, tags);
        return message -> {
            MessageMonitor.MonitorCallback timed = timer.onMessageIngested(message);
            MessageMonitor.MonitorCallback counted = counter.onMessageIngested(message);
            return new MessageMonitor.MonitorCallback() {
                @Override
                public void reportSuccess() {
                    timed.reportSuccess();
                    counted.reportSuccess();
                }

                @Override
                public void reportFailure(Throwable cause) {
                    timed.reportFailure(cause);
                    counted.reportFailure(cause);
                }

                @Override
                public void reportIgnored() {
                    timed.reportIgnored();
                    counted.reportIgnored();
                }
            };
        };
    }

    private final List<Message<?>> commands = List.of(
            new GenericMessage<>(new OpenCase("1")), new GenericMessage<>(new OpenCase("2")),
            new GenericMessage<>(new CloseCase("1")), new GenericMessage<>(new OpenCase("3")),
            new GenericMessage<>(new CloseCase("2")), new GenericMessage<>(new CloseCase("3")),
            new GenericMessage<>(new OpenCase("4")));

    @Test
    void givenCommandsThatSucceedFailAndAreIgnored_whenMonitored_thenTheMetersAreThoseOfAxonsMonitors() {
        PrometheusMeterRegistry ours = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry axons = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        monitor(MessageMonitors.forComponent(ours, new ProcessorFailures(Clock.systemUTC()), SimpleCommandBus.class,
                                             "commandBus"), commands);
        monitor(axons(axons, MessageMonitors.COMMANDS,
                      message -> Tags.of("type", message.getPayloadType().getSimpleName())), commands);

        assertThat(meters(ours)).isEqualTo(meters(axons)).containsKey(
                "ledger_commands_allTimer_seconds_bucket{type=\"OpenCase\",le=\"0.001\"}")
                .containsEntry("ledger_commands_failureTimer_seconds_count{type=\"CloseCase\"}", "1");
    }

    @Test
    void givenEventsHandledByAProcessor_whenMonitored_thenItsMetersAndLatencyGaugeAreThoseOfAxonsMonitors() {
        PrometheusMeterRegistry ours = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry axons = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorFailures failures = new ProcessorFailures(Clock.systemUTC());
        MessageMonitor<Message<?>> monitor = MessageMonitors.forComponent(
                ours, failures, PooledStreamingEventProcessor.class, "case-views");
        assertThat(ours.getMeters()).as("nothing before the first event, as Axon's").isEmpty();
        List<Message<?>> events = commands.stream().<Message<?>>map(
                command -> GenericEventMessage.asEventMessage(command.getPayload())).toList();

        monitor(monitor, events);
        Function<Message<?>, Iterable<io.micrometer.core.instrument.Tag>> processor =
                message -> Tags.of("processor", "case-views");
        monitor(axons(axons, MessageMonitors.PROCESSOR, processor), events);
        @SuppressWarnings({"unchecked", "rawtypes"})
        MessageMonitor<Message<?>> latency = (MessageMonitor) EventProcessorLatencyMonitor.builder()
                .meterNamePrefix(MessageMonitors.PROCESSOR).meterRegistry(axons).tagsBuilder(processor).build();
        monitor(latency, events);

        assertThat(meters(ours)).isEqualTo(meters(axons)).containsKey(
                "ledger_processor_allTimer_seconds_bucket{processor=\"case-views\",le=\"30.0\"}")
                .containsEntry("ledger_processor_processedCounter_total{processor=\"case-views\"}", "5.0")
                .containsKey("ledger_processor_latency{processor=\"case-views\"}");
        assertThat(ours.get(MessageMonitors.PROCESSOR + ".latency").tags("processor", "case-views").gauge().value())
                .isBetween(0.0, 60_000.0);
        // Events 1 and 4 failed and were not handled since: the processor's failures are told too (readiness).
        assertThat(failures.current("case-views")).as("the failing events are known to the readiness check")
                                                  .hasValueSatisfying(failure -> assertThat(failure.error())
                                                          .contains("refused"));
        MessageMonitor.MonitorCallback retried = monitor.onMessageIngested(events.get(1));
        retried.reportSuccess();
        MessageMonitor.MonitorCallback retriedAgain = monitor.onMessageIngested(events.get(4));
        retriedAgain.reportSuccess();
        assertThat(failures.current("case-views")).as("handled on a retry: no failure left").isEmpty();
    }
}
