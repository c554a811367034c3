package dk.casejourney.evaluation.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Which cases an evaluation covers and how it groups them: cases opened from {@code from} to {@code to},
 * both days included (Copenhagen days), matching every filter.
 */
public record EvaluationCriteria(LocalDate from, LocalDate to, Map<Dimension, String> filters, List<Dimension> groupBy) {

    public EvaluationCriteria {
        filters = Map.copyOf(filters);
        groupBy = List.copyOf(groupBy);
    }

    public EvaluationCriteria between(LocalDate newFrom, LocalDate newTo) {
        return new EvaluationCriteria(newFrom, newTo, filters, groupBy);
    }
}
