package dk.casejourney.audit;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.audit.api.ProjectionList.SegmentStatus;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event processors behind the read models: where each stands against the head of the ledger. */
@Component
class Projections {

    private final Configuration axon;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    Projections(Configuration axon, EventStore eventStore, JdbcTemplate jdbc, Serializer serializer) {
        this.axon = axon;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    EventProcessingConfiguration processing() {
        return axon.eventProcessingConfiguration();
    }

    Optional<StreamingEventProcessor> streaming(String name) {
        return processing().eventProcessor(name, StreamingEventProcessor.class);
    }

    long head() {
        return Positions.of(eventStore.createHeadToken());
    }

    long tail() {
        return Positions.of(eventStore.createTailToken());
    }

    @QueryHandler
    ProjectionList handle(FindProjectionsQuery query) {
        long head = head();
        List<ProjectionList.Projection> projections = new ArrayList<>();
        processing().eventProcessors().values().stream()
                    .sorted(Comparator.comparing(EventProcessor::getName))
                    .forEach(processor -> projections.add(projection(processor, head)));
        return new ProjectionList(head, projections);
    }

    /**
     * A committed token per segment, as the token store holds it (shared by every instance), and whether some
     * instance claims it; {@code certainlyHandled} is the position up to which every event is handled.
     */
    record StoredToken(int segment, long position, long certainlyHandled, boolean claimed) {
    }

    List<StoredToken> storedTokens(String processorName) {
        return jdbc.query("SELECT segment, token, token_type, owner FROM token_entry WHERE processor_name = ?",
                          (rs, n) -> {
                              byte[] token = rs.getBytes("token");
                              String type = rs.getString("token_type");
                              TrackingToken tracking = token == null || type == null ? null : serializer.deserialize(
                                      new SimpleSerializedObject<>(token, byte[].class, type, null));
                              return new StoredToken(rs.getInt("segment"), Positions.of(tracking),
                                                     Positions.certainlyHandled(tracking),
                                                     rs.getString("owner") != null);
                          }, processorName);
    }

    /**
     * The position up to which every event is in the tables of a processor whose every instance has stopped and
     * committed. A segment's stored token advances only with a batch that holds events of its own, or at the next
     * claim extension (seconds later), so a segment whose cases were quiet stands behind events it never had to
     * handle; the slowest segment's position alone would count every case written since as changed. Beyond it an
     * event counts as handled when the token of its own segment is past it: the segment Axon gives its sequence
     * identifier, the aggregate's under the per-aggregate sequencing the ledger's processors keep. A processor
     * sequenced otherwise gets the slowest position.
     */
    long handledThrough(EventProcessor processor, EventTable events) {
        return handledThrough(storedTokens(processor.getName()), sequencedPerAggregate(processor), events);
    }

    static long handledThrough(List<StoredToken> tokens, boolean perAggregate, EventTable events) {
        long slowest = tokens.stream().mapToLong(StoredToken::certainlyHandled).min().orElse(-1);
        long fastest = tokens.stream().mapToLong(StoredToken::certainlyHandled).max().orElse(-1);
        if (!perAggregate || slowest == fastest) {
            return slowest;
        }
        Segment[] segments = Segment.computeSegments(tokens.stream().mapToInt(StoredToken::segment).toArray());
        Map<Integer, Long> handled = new HashMap<>();
        tokens.forEach(token -> handled.put(token.segment(), token.certainlyHandled()));
        // No segment has handled anything beyond the fastest; the first event its own segment has not handled ends
        // the range (events come in order of position).
        long[] through = {fastest};
        events.forEachAfter(slowest, event -> {
            if (event.globalIndex() > through[0]) {
                return;
            }
            long own = -1;
            for (Segment segment : segments) {
                if (segment.matches(event.aggregateId())) {
                    own = handled.getOrDefault(segment.getSegmentId(), -1L);
                    break;
                }
            }
            if (event.globalIndex() > own) {
                through[0] = event.globalIndex() - 1;
            }
        });
        return through[0];
    }

    /** Whether an event's segment follows from its aggregate: Axon's default sequencing, kept by the ledger. */
    static boolean sequencedPerAggregate(EventProcessor processor) {
        return processor instanceof AbstractEventProcessor handlers && perAggregate(handlers.eventHandlerInvoker());
    }

    private static boolean perAggregate(EventHandlerInvoker invoker) {
        if (invoker instanceof MultiEventHandlerInvoker multi) {
            return !multi.delegates().isEmpty() && multi.delegates().stream().allMatch(Projections::perAggregate);
        }
        return invoker instanceof SimpleEventHandlerInvoker simple
                && simple.getSequencingPolicy() instanceof SequentialPerAggregatePolicy;
    }

    private ProjectionList.Projection projection(EventProcessor processor, long head) {
        ProjectionList.DeadLetters deadLetters = deadLetters(processor.getName());
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new ProjectionList.Projection(processor.getName(), processor.getClass().getSimpleName(),
                                                 processor.isRunning() ? ProjectionList.State.RUNNING
                                                         : ProjectionList.State.STOPPED,
                                                 processor.isRunning(), null, List.of(), false, deadLetters);
        }
        Map<Integer, EventTrackerStatus> statuses = streaming.processingStatus();
        List<SegmentStatus> segments = statuses.values().stream()
                .sorted(Comparator.comparingInt(status -> status.getSegment().getSegmentId()))
                .map(status -> new SegmentStatus(
                        status.getSegment().getSegmentId(),
                        status.getCurrentPosition().isPresent() ? status.getCurrentPosition().getAsLong() : null,
                        status.isCaughtUp(), status.isReplaying(),
                        status.isErrorState() ? Positions.describe(status.getError()) : null))
                .toList();
        // The lag comes from the token store: a segment in error or claimed by no one has no status here, and
        // the others' statuses alone would show a stalled processor as caught up. A segment this instance
        // processes stands where its status says: its stored token advances only with a batch that holds events
        // of its own, or at the next claim extension (seconds later), so it would look behind while only the
        // other segments' cases are written. Another instance's segments are known from the store alone.
        Map<Integer, Long> here = new HashMap<>();
        statuses.forEach((segment, status) -> status.getCurrentPosition()
                                                    .ifPresent(position -> here.put(segment, position)));
        List<StoredToken> tokens = storedTokens(streaming.getName());
        Long lag = tokens.isEmpty() ? null
                : Math.max(0, head - tokens.stream()
                                           .mapToLong(t -> Math.max(t.position(), here.getOrDefault(t.segment(), -1L)))
                                           .min().orElse(-1));
        boolean unclaimedBehind = tokens.stream().anyMatch(t -> !t.claimed() && t.position() < head);
        ProjectionList.State state = !streaming.isRunning() ? ProjectionList.State.STOPPED
                : streaming.isError() || segments.stream().anyMatch(s -> s.error() != null) ? ProjectionList.State.ERROR
                : unclaimedBehind ? ProjectionList.State.STALLED
                : streaming.isReplaying() ? ProjectionList.State.REPLAYING
                : ProjectionList.State.RUNNING;
        return new ProjectionList.Projection(streaming.getName(), streaming.getClass().getSimpleName(), state,
                                             streaming.isRunning(), lag, segments, streaming.supportsReset(),
                                             deadLetters);
    }

    private ProjectionList.DeadLetters deadLetters(String group) {
        DeadLetters.Summary summary = DeadLetters.summary(processing(), group);
        return summary == null ? null : new ProjectionList.DeadLetters(summary.letters(), summary.cases(),
                                                                       summary.firstCaseId(),
                                                                       summary.firstSequenceNumber(),
                                                                       summary.firstEventId(), summary.firstError());
    }
}
