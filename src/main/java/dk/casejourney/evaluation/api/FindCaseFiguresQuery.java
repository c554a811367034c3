package dk.casejourney.evaluation.api;

/**
 * Per case, the figures of the cases the criteria select (grouping is ignored); answers {@link CaseFiguresList}.
 * No personal data: cases are named by id and, if imported, by their trace's name.
 */
public record FindCaseFiguresQuery(EvaluationCriteria criteria) {
}
