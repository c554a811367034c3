package dk.casejourney.operations;

import dk.casejourney.operations.ProcessorStates.ProcessorState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Gauges per processing group read at scrape time from {@link ProcessorStates}, and the imports running.
 * Registered once Axon has built its processors (they do not exist while the registry is created).
 */
@Component
class ProcessingGroupMetrics {

    private final ProcessorStates processors;
    private final MeterRegistry registry;
    private final JdbcClient jdbc;

    ProcessingGroupMetrics(ProcessorStates processors, MeterRegistry registry, JdbcClient jdbc) {
        this.processors = processors;
        this.registry = registry;
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationStartedEvent.class)
    void register() {
        Gauge.builder("ledger.events.head", this, ProcessingGroupMetrics::head)
             .description("position of the newest event in the event store").register(registry);
        Gauge.builder("ledger.imports.running", this, ProcessingGroupMetrics::importsRunning)
             .description("imports of event logs running now").register(registry);
        for (String name : processors.processing().eventProcessors().keySet()) {
            gauge(name, "ledger.processor.position", "position of the processor's slowest segment", null,
                  ProcessorState::position);
            gauge(name, "ledger.processor.lag.events", "events stored but not yet handled", null,
                  ProcessorState::lagEvents);
            gauge(name, "ledger.processor.lag", "age of the oldest event not yet handled; 0 when caught up",
                  "seconds", state -> state.lagSeconds() == null ? Double.NaN : state.lagSeconds());
            gauge(name, "ledger.processor.dead.letters",
                  "events parked in the group's dead-letter queue; NaN without a queue", null,
                  state -> state.deadLetters() == null ? Double.NaN : state.deadLetters());
            gauge(name, "ledger.processor.segments", "segments this instance has claimed", null,
                  ProcessorState::segments);
            for (ProcessorStates.State state : ProcessorStates.State.values()) {
                Gauge.builder("ledger.processor.state", this,
                              metrics -> metrics.current(name).map(s -> s.state() == state ? 1.0 : 0.0)
                                                .orElse(Double.NaN))
                     .description("1 for the processor's current state, 0 for the others")
                     .tag("processor", name).tag("state", state.name().toLowerCase())
                     .register(registry);
            }
        }
    }

    private void gauge(String processor, String name, String description, String unit,
                       ToDoubleFunction<ProcessorState> value) {
        Gauge.builder(name, this, metrics -> metrics.current(processor).map(value::applyAsDouble).orElse(Double.NaN))
             .description(description).baseUnit(unit).tag("processor", processor)
             .register(registry);
    }

    private Optional<ProcessorState> current(String processor) {
        try {
            return processors.read(processor);
        } catch (RuntimeException eventStoreUnreachable) {
            return Optional.empty();
        }
    }

    private double head() {
        try {
            return processors.read().head();
        } catch (RuntimeException eventStoreUnreachable) {
            return Double.NaN;
        }
    }

    private double importsRunning() {
        try {
            return jdbc.sql("SELECT COUNT(*) FROM import_report WHERE status = 'RUNNING'").query(Long.class).single();
        } catch (RuntimeException unreadable) {
            return Double.NaN;
        }
    }
}
