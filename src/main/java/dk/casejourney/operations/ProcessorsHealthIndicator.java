package dk.casejourney.operations;

import dk.casejourney.operations.ProcessorStates.ProcessorState;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Part of readiness: DOWN while a read model's processor is in error (it retries the same event and falls
 * behind) or has parked more events than {@code ledger.operations.max-dead-letters}. A stopped processor (a
 * rebuild pauses its own) is reported but does not turn readiness DOWN.
 */
@Component("processors")
class ProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final ProcessorStates processors;
    private final OperationsProperties properties;

    ProcessorsHealthIndicator(ProcessorStates processors, OperationsProperties properties) {
        super("processors health check failed");
        this.processors = processors;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (ProcessorState state : processors.read().processors()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", state.state().name());
            detail.put("position", state.position());
            detail.put("lagEvents", state.lagEvents());
            if (state.deadLetters() != null) {
                detail.put("deadLetters", state.deadLetters());
            }
            if (state.error() != null) {
                detail.put("error", state.error());
            }
            if (state.state() == ProcessorStates.State.STALLED) {
                // Not DOWN: while an instance is failing over, its segments wait unclaimed for the claim timeout.
                detail.put("reason", "a segment behind is claimed by no instance (one that fails again and again "
                        + "is let go): see the projections page");
            }
            if (state.state() == ProcessorStates.State.ERROR) {
                up = false;
                detail.put("reason", "in error: it retries the failing event and handles nothing after it");
            }
            if (state.deadLetters() != null && state.deadLetters() > properties.maxDeadLetters()) {
                up = false;
                detail.put("reason", "%d parked events, more than ledger.operations.max-dead-letters=%d"
                        .formatted(state.deadLetters(), properties.maxDeadLetters()));
            }
            details.put(state.name(), detail);
        }
        (up ? builder.up() : builder.down()).withDetails(details);
    }
}
