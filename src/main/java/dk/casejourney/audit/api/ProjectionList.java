package dk.casejourney.audit.api;

import java.util.List;

/**
 * @param head the position of the newest event in the store
 */
public record ProjectionList(Long head, List<Projection> projections) {

    /**
     * @param state       RUNNING only when every segment is claimed and none is in error
     * @param lag         events between the slowest segment's committed token (token store, every segment,
     *                    whoever holds it; for a segment this instance holds, its processor's position when
     *                    further) and the head; null when unknown
     * @param deadLetters what the processor parked in its dead-letter queue (null without one)
     */
    public record Projection(String name, String processorType, State state, boolean running, Long lag,
                             List<SegmentStatus> segments, boolean rebuildable, DeadLetters deadLetters) {
    }

    /**
     * @param count       parked events
     * @param cases       cases with parked events
     * @param firstCaseId the case of the first parked event; with its sequence number, event id and error
     */
    public record DeadLetters(long count, long cases, String firstCaseId, Long firstSequenceNumber,
                              String firstEventId, String firstError) {
    }

    public record SegmentStatus(int segment, Long position, boolean caughtUp, boolean replaying, String error) {
    }

    /** STALLED: running, but some segment is claimed by no one while events wait for it. */
    public enum State {
        RUNNING, REPLAYING, STALLED, ERROR, STOPPED
    }
}
