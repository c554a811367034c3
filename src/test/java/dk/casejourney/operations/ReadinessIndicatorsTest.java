package dk.casejourney.operations;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The readiness parts on their own, with Axon's components standing in: parked events beyond the threshold, a
 * failure the processor has not got past, an event store that cannot be reached.
 */
class ReadinessIndicatorsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    private final EventStore eventStore = mock(EventStore.class);
    private final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    private final ProcessorFailures failures = new ProcessorFailures(clock);

    private ProcessorStates processorsWithDeadLetters(Long parked) {
        return processors(parked, List.of());
    }

    @SuppressWarnings("unchecked")
    private ProcessorStates processors(Long parked, List<ProjectionList.Projection> listed) {
        StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
        when(processor.getName()).thenReturn("case-views");
        when(processor.isRunning()).thenReturn(true);
        when(processor.processingStatus()).thenReturn(Map.of());
        when(processing.eventProcessors()).thenReturn(Map.of("case-views", processor));
        if (parked == null) {
            when(processing.deadLetterQueue("case-views")).thenReturn(Optional.empty());
        } else {
            SequencedDeadLetterQueue<EventMessage<?>> queue = mock(SequencedDeadLetterQueue.class);
            when(queue.size()).thenReturn(parked);
            when(processing.deadLetterQueue("case-views")).thenReturn(Optional.of(queue));
        }
        Configuration axon = mock(Configuration.class);
        when(axon.eventProcessingConfiguration()).thenReturn(processing);
        QueryGateway queries = mock(QueryGateway.class);
        // As the projection list's handler does: the head from the event store, which may be unreachable.
        when(queries.query(any(FindProjectionsQuery.class), eq(ProjectionList.class))).thenAnswer(
                query -> CompletableFuture.completedFuture(
                        new ProjectionList(ProcessorStates.position(eventStore.createHeadToken()), listed)));
        return new ProcessorStates(axon, eventStore, mock(JdbcClient.class), failures, queries, clock);
    }

    @Test
    void givenASegmentBehindThatNoInstanceHolds_whenReadinessIsChecked_thenItIsShownStalledWithItsLag() {
        when(eventStore.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(10));
        // This instance holds no segment of it: its own statuses alone would call it caught up.
        ProjectionList.Projection stalled = new ProjectionList.Projection(
                "case-views", "PooledStreamingEventProcessor", ProjectionList.State.STALLED, true, 7L, List.of(), true,
                null);
        Health health = health(processors(null, List.of(stalled)), 0);
        assertThat(health.getDetails().get("case-views").toString())
                .contains("state=STALLED", "lagEvents=7", "claimed by no instance");
        // Not DOWN: a failing-over instance's segments wait unclaimed too, for the claim timeout.
        assertThat(health.getStatus()).isEqualTo(Status.UP);
    }

    private static Health health(ProcessorStates states, long maxDeadLetters) {
        return new ProcessorsHealthIndicator(states, new OperationsProperties(maxDeadLetters, Path.of("/tmp")))
                .health();
    }

    @Test
    void givenParkedEventsBeyondTheThreshold_whenReadinessIsChecked_thenProcessorsAreDown() {
        Health health = health(processorsWithDeadLetters(3L), 2);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("case-views").toString()).contains("deadLetters=3", "max-dead-letters=2");
    }

    @Test
    void givenParkedEventsUpToTheThreshold_whenReadinessIsChecked_thenProcessorsAreUp() {
        assertThat(health(processorsWithDeadLetters(2L), 2).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void givenNoDeadLetterQueue_whenReadinessIsChecked_thenProcessorsAreUpAndNoCountIsClaimed() {
        Health health = health(processorsWithDeadLetters(null), 0);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("case-views").toString()).doesNotContain("deadLetters");
    }

    @Test
    void givenAnEventTheProcessorFailedOn_whenReadinessIsChecked_thenDownUntilTheSameEventIsHandled() {
        ProcessorStates states = processorsWithDeadLetters(null);
        EventMessage<?> event = GenericEventMessage.asEventMessage("payload of 290684-1357");
        failures.monitor("case-views").onMessageIngested(event)
                .reportFailure(new IllegalStateException("cannot apply 290684-1357"));
        Health down = health(states, 100);
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("case-views").toString()).contains("ERROR", "******-****")
                                                                   .doesNotContain("290684-1357");

        failures.monitor("case-views").onMessageIngested(event).reportSuccess();
        // A new reading (one is reused for a second, and this clock stands still).
        assertThat(health(processorsWithDeadLetters(null), 100).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void givenAnUnreachableEventStore_whenReadinessIsChecked_thenEventStoreAndProcessorsAreDown() {
        when(eventStore.createHeadToken()).thenThrow(new IllegalStateException("connection refused"));
        assertThat(new EventStoreHealthIndicator(eventStore).health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health(processorsWithDeadLetters(null), 100).getStatus()).isEqualTo(Status.DOWN);
    }
}
