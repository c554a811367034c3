package dk.casejourney.operations;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where each event processor stands, read from Axon's own API: segment status, error state, parked events in
 * the processing group's dead-letter queue (when one is configured). Metrics and readiness both read it; one
 * reading serves all callers for a second, so a scrape does not ask the event store once per gauge.
 */
@Component
class ProcessorStates {

    private static final Duration FRESH = Duration.ofSeconds(1);
    private static final Pattern CPR_LIKE = Pattern.compile("(?<!\\d)\\d{6}-?\\d{4}(?!\\d)");

    private final Configuration axon;
    private final EventStore eventStore;
    private final JdbcClient jdbc;
    private final ProcessorFailures failures;
    private final QueryGateway queries;
    private final Clock clock;
    private volatile Reading last;

    ProcessorStates(Configuration axon, EventStore eventStore, JdbcClient jdbc, ProcessorFailures failures,
                    QueryGateway queries, Clock clock) {
        this.axon = axon;
        this.failures = failures;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.queries = queries;
        this.clock = clock;
    }

    /** STALLED: a segment that is behind is claimed by no instance (one failing again and again is let go). */
    enum State { RUNNING, REPLAYING, STALLED, ERROR, STOPPED }

    /**
     * @param deadLetters parked events of the group, or {@code null} when the group has no dead-letter queue
     * @param lagSeconds  age of the oldest event not yet handled, 0 when caught up, {@code null} when unknown
     */
    record ProcessorState(String name, State state, long position, long lagEvents, Double lagSeconds,
                          Long deadLetters, int segments, String error) {
    }

    record Reading(Instant at, long head, List<ProcessorState> processors) {
    }

    EventProcessingConfiguration processing() {
        return axon.eventProcessingConfiguration();
    }

    /** The processors now; throws when the event store cannot be reached. */
    Reading read() {
        Reading reading = last;
        Instant now = clock.instant();
        if (reading != null && reading.at().plus(FRESH).isAfter(now)) {
            return reading;
        }
        // Head, lag and stalled segments as the projection list has them (every segment, from the token store):
        // this instance's statuses alone miss a segment no one holds, and showed such a read model caught up.
        ProjectionList list = queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
        long head = list.head() != null ? list.head() : position(eventStore.createHeadToken());
        Map<String, ProjectionList.Projection> listed = list.projections().stream()
                                                            .collect(Collectors.toMap(ProjectionList.Projection::name,
                                                                                      Function.identity()));
        List<ProcessorState> states = processing().eventProcessors().values().stream()
                                                  .sorted(Comparator.comparing(EventProcessor::getName))
                                                  .map(processor -> state(processor, head, now,
                                                                          listed.get(processor.getName())))
                                                  .toList();
        reading = new Reading(now, head, states);
        last = reading;
        return reading;
    }

    Optional<ProcessorState> read(String processor) {
        return read().processors().stream().filter(state -> state.name().equals(processor)).findFirst();
    }

    private ProcessorState state(EventProcessor processor, long head, Instant now, ProjectionList.Projection listed) {
        Long deadLetters = processing().deadLetterQueue(processor.getName())
                                       .map(ProcessorStates::size).orElse(null);
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new ProcessorState(processor.getName(), processor.isRunning() ? State.RUNNING : State.STOPPED,
                                      -1, 0, null, deadLetters, 0, null);
        }
        Map<Integer, EventTrackerStatus> statuses = streaming.processingStatus();
        String error = statuses.values().stream().filter(EventTrackerStatus::isErrorState)
                               .map(status -> describe(status.getError())).findFirst()
                               .or(() -> failures.current(processor.getName()).map(ProcessorFailures.Failure::error))
                               .orElse(null);
        State state = !streaming.isRunning() ? State.STOPPED
                : streaming.isError() || error != null ? State.ERROR
                : listed != null && listed.state() == ProjectionList.State.STALLED ? State.STALLED
                : streaming.isReplaying() ? State.REPLAYING
                : State.RUNNING;
        long position;
        long lag;
        if (listed != null && listed.lag() != null) {
            lag = listed.lag();
            position = head - lag;
        } else {
            position = statuses.isEmpty() ? -1 : statuses.values().stream()
                    .mapToLong(status -> status.getCurrentPosition().orElse(-1)).min().orElse(-1);
            lag = statuses.isEmpty() ? 0 : Math.max(0, head - position);
        }
        return new ProcessorState(processor.getName(), state, position, lag, lagSeconds(position, lag, now),
                                  deadLetters, statuses.size(), error);
    }

    /** How old the first event the processor has not handled is; read from the JDBC event table when it has one. */
    private Double lagSeconds(long position, long lag, Instant now) {
        if (lag == 0) {
            return 0.0;
        }
        try {
            return jdbc.sql("SELECT time_stamp FROM domain_event_entry WHERE global_index > ? "
                                    + "ORDER BY global_index LIMIT 1")
                       .param(position)
                       .query(String.class)
                       .optional()
                       .map(timestamp -> Math.max(0, Duration.between(Instant.parse(timestamp), now).toMillis())
                               / 1000.0)
                       .orElse(null);
        } catch (RuntimeException notAJdbcEventStore) {
            return null;
        }
    }

    private static long size(SequencedDeadLetterQueue<?> queue) {
        return queue.size();
    }

    static long position(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : -1;
    }

    /** An error for an operator: type and message, anything shaped like a CPR number masked. */
    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return CPR_LIKE.matcher(text).replaceAll("******-****");
    }
}
