package dk.casejourney.operations;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: the event store answers (the JDBC event table, or Axon Server with the axonserver
 * profile): asking for its head is the cheapest question it must answer for every write and every processor.
 */
@Component("eventStoreHealthIndicator") // health name "eventStore"; the bean name "eventStore" is Axon's
class EventStoreHealthIndicator extends AbstractHealthIndicator {

    private final EventStore eventStore;

    EventStoreHealthIndicator(EventStore eventStore) {
        super(error -> "event store unreachable: " + error.getClass().getName());
        this.eventStore = eventStore;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long started = System.nanoTime();
        long head = ProcessorStates.position(eventStore.createHeadToken());
        builder.up().withDetail("head", head).withDetail("millis", (System.nanoTime() - started) / 1_000_000);
    }
}
