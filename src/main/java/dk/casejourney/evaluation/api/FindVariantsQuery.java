package dk.casejourney.evaluation.api;

/**
 * The variants of the criteria's cases (grouping is ignored) at the level, the {@code limit} most frequent;
 * answers {@link Variants}.
 */
public record FindVariantsQuery(EvaluationCriteria criteria, ProcessMap.Level level, int limit) {
}
