package dk.casejourney.evaluation.api;

import java.time.LocalDate;

/**
 * The evaluation before and after a change (e.g. a citizen service center opening): cases opened from
 * {@code criteria.from()} to the day before {@code changeDate}, against those from {@code changeDate} to
 * {@code criteria.to()}. Answers {@link Comparison}.
 */
public record FindComparisonQuery(EvaluationCriteria criteria, LocalDate changeDate) {
}
