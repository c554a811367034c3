package dk.casejourney.evaluation.api;

import java.util.List;

/**
 * The evaluation of the criteria's cases once per grouping, from one read of the cases (a dashboard showing
 * the whole period, by month and by channel asks once); answers {@link Evaluations}, each report equal to what
 * {@link FindEvaluationQuery} answers for the criteria with that groupBy. The criteria's own groupBy is not used.
 */
public record FindEvaluationsQuery(EvaluationCriteria criteria, List<List<Dimension>> groupings) {

    public FindEvaluationsQuery {
        groupings = groupings.stream().map(List::copyOf).toList();
        if (groupings.isEmpty()) {
            throw new IllegalArgumentException("at least one grouping");
        }
    }
}
