package dk.casejourney.audit;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.audit.api.ProjectionList.SegmentStatus;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event processors behind the read models: where each stands against the head of the ledger. */
@Component
class Projections {

    private final Configuration axon;
    private final EventStore eventStore;

    Projections(Configuration axon, EventStore eventStore) {
        this.axon = axon;
        this.eventStore = eventStore;
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

    private static ProjectionList.Projection projection(EventProcessor processor, long head) {
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new ProjectionList.Projection(processor.getName(), processor.getClass().getSimpleName(),
                                                 processor.isRunning() ? ProjectionList.State.RUNNING
                                                         : ProjectionList.State.STOPPED,
                                                 processor.isRunning(), null, List.of(), false);
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
        ProjectionList.State state = !streaming.isRunning() ? ProjectionList.State.STOPPED
                : streaming.isError() || segments.stream().anyMatch(s -> s.error() != null) ? ProjectionList.State.ERROR
                : streaming.isReplaying() ? ProjectionList.State.REPLAYING
                : ProjectionList.State.RUNNING;
        Long lag = statuses.isEmpty() ? null : Math.max(0, head - Positions.slowest(statuses.values()));
        return new ProjectionList.Projection(streaming.getName(), streaming.getClass().getSimpleName(), state,
                                             streaming.isRunning(), lag, segments, streaming.supportsReset());
    }
}
