package dk.casejourney.evaluation.api;

/**
 * The process map of the criteria's cases (grouping is ignored) at the level, hiding edges with fewer than
 * {@code minTransitions} transitions; answers {@link ProcessMap}.
 */
public record FindProcessMapQuery(EvaluationCriteria criteria, ProcessMap.Level level, long minTransitions) {

    public FindProcessMapQuery(EvaluationCriteria criteria, ProcessMap.Level level) {
        this(criteria, level, 1);
    }
}
