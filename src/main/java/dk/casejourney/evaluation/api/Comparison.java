package dk.casejourney.evaluation.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Before and after a change date, and per group present on both sides the difference after − before of
 * every numeric figure, by the same column names as the CSV export.
 */
public record Comparison(LocalDate changeDate, EvaluationReport before, EvaluationReport after,
                         List<Difference> differences) {

    public record Difference(Map<String, String> key, Map<String, Double> afterMinusBefore) {
    }
}
