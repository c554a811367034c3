package dk.casejourney.audit.api;

import java.util.List;

/**
 * @param head the position of the newest event in the store
 */
public record ProjectionList(Long head, List<Projection> projections) {

    /**
     * @param lag events between the slowest segment and the head (null when unknown)
     */
    public record Projection(String name, String processorType, State state, boolean running, Long lag,
                             List<SegmentStatus> segments, boolean rebuildable) {
    }

    public record SegmentStatus(int segment, Long position, boolean caughtUp, boolean replaying, String error) {
    }

    public enum State {
        RUNNING, REPLAYING, ERROR, STOPPED
    }
}
