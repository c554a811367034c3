package dk.casejourney.evaluation.api;

import java.util.List;

/** Directly-follows pairs: how often {@code to} came right after {@code from}, and the time between them. */
public record ProcessMap(Level level, long cases, List<Edge> edges) {

    /**
     * ACTIVITY: entries in occurredAt order, time from one entry to the next. UNIT: service steps, time from
     * the last activity of one unit to the first of the next.
     */
    public enum Level { ACTIVITY, UNIT }

    public record Edge(String from, String to, long count, double meanMs, double medianMs) {
    }
}
