package dk.casejourney.evaluation.api;

import java.util.List;

/** The answer to {@link FindEvaluationsQuery}: one report per grouping, in the order asked. */
public record Evaluations(List<EvaluationReport> reports) {

    public Evaluations {
        reports = List.copyOf(reports);
    }
}
