package dk.casejourney.audit;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.audit.api.ProjectionList.SegmentStatus;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
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
