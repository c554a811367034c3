package dk.casejourney.operations;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.monitoring.MessageMonitor;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events a processor failed to handle and has not handled since. A pooled streaming processor whose handler
 * throws aborts the batch, releases the segment and claims it again seconds later, so Axon's segment status
 * shows the error only for moments; this monitor remembers it until the same event is handled (or has not been
 * retried for {@link #FORGET_AFTER}, e.g. because it was parked as a dead letter).
 */
@Component
class ProcessorFailures {

    static final Duration FORGET_AFTER = Duration.ofMinutes(2);

    private final Clock clock;
    private final Map<String, Map<String, Failure>> failing = new ConcurrentHashMap<>();

    ProcessorFailures(Clock clock) {
        this.clock = clock;
    }

    record Failure(Instant at, String error) {
    }

    MessageMonitor<EventMessage<?>> monitor(String processor) {
        Map<String, Failure> events = failing.computeIfAbsent(processor, name -> new ConcurrentHashMap<>());
        return message -> new MessageMonitor.MonitorCallback() {
            @Override
            public void reportSuccess() {
                events.remove(message.getIdentifier());
            }

            @Override
            public void reportFailure(Throwable cause) {
                events.put(message.getIdentifier(), new Failure(clock.instant(), ProcessorStates.describe(cause)));
            }

            @Override
            public void reportIgnored() {
                events.remove(message.getIdentifier());
            }
        };
    }

    /** The latest failure of an event the processor still has not handled. */
    Optional<Failure> current(String processor) {
        Map<String, Failure> events = failing.getOrDefault(processor, Map.of());
        Instant horizon = clock.instant().minus(FORGET_AFTER);
        events.values().removeIf(failure -> failure.at().isBefore(horizon));
        return events.values().stream().max(java.util.Comparator.comparing(Failure::at));
    }
}
