package dk.casejourney.evaluation.api;

import java.util.List;

/**
 * A performance process map (directly-follows graph) of the selected cases, as process-mining tools draw it:
 * nodes with their frequency, start and end counts, and edges {@code from} → {@code to} (to came right after
 * from in a case) with how many cases and transitions took them and the time between the two.
 *
 * @param cases            the cases selected
 * @param minTransitions   edges with fewer transitions than this are hidden (1: none hidden)
 * @param hiddenEdges      how many edges the threshold hid
 * @param percentileMethod how medians and p90s are taken
 * @param durationUnit     the unit of the edge durations
 * @param nodes            every node, the most frequent first (hiding edges hides no node)
 * @param edges            the edges shown, the most transitions first
 */
public record ProcessMap(Level level, long cases, long minTransitions, long hiddenEdges, String percentileMethod,
                         String durationUnit, List<Node> nodes, List<Edge> edges) {

    public ProcessMap {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * ACTIVITY: a case's entries in occurredAt order, named by activity (work by its activity, for an imported
     * case the log's activity names; contacts and decisions by purpose and outcome); an imported case shows its
     * log's events only. UNIT: the units of the service steps, the time from the last activity of one unit to the
     * first of the next.
     */
    public enum Level { ACTIVITY, UNIT }

    /**
     * @param frequency occurrences over all selected cases
     * @param cases     cases in which it occurs at least once
     * @param starts    cases whose path starts with it (the start node's edge to it)
     * @param ends      cases whose path ends with it (its edge to the end node)
     */
    public record Node(String name, long frequency, long cases, long starts, long ends) {
    }

    /**
     * @param transitions how often {@code to} came right after {@code from}
     * @param cases       in how many cases it did at least once
     * @param durationMs  the time from {@code from} to {@code to}, over every transition
     */
    public record Edge(String from, String to, long transitions, long cases, Distribution durationMs) {
    }
}
