package dk.casejourney.evaluation.api;

import java.util.List;

/**
 * The distinct paths the selected cases took: at level ACTIVITY the sequence of activities (the nodes of the
 * activity map, in order), at level UNIT the sequence of service-step units. The most frequent first (ties by
 * path).
 *
 * @param cases    the cases selected
 * @param variants how many distinct paths they took (also those beyond the limit)
 * @param paths    the most frequent paths, at most the query's limit
 */
public record Variants(ProcessMap.Level level, long cases, long variants, String percentileMethod,
                       List<Variant> paths) {

    public Variants {
        paths = List.copyOf(paths);
    }

    /**
     * @param cases      cases that took this path
     * @param share      cases / all selected cases
     * @param leadTimeMs lead time of the resolved cases among them (count = resolved cases; median among the
     *                   figures)
     */
    public record Variant(List<String> path, long cases, double share, Distribution leadTimeMs) {

        public Variant {
            path = List.copyOf(path);
        }
    }
}
