package dk.casejourney.evaluation.api;

import dk.casejourney.common.RuleViolation;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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

    /** The earliest day a period may name: the start of the ledger's window of business times. */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);
    /** How many years ahead a period may reach (planning periods); beyond it no case can lie. */
    public static final int MAX_YEARS_AHEAD = 10;

    /**
     * A day of a period as a client names it ({@code from}, {@code to}, {@code changeDate}): a date from
     * {@link #EARLIEST_DATE} to {@link #MAX_YEARS_AHEAD} years ahead. Every endpoint that selects cases by period
     * parses through here, so none can be asked for date arithmetic on year -999999999.
     *
     * @throws RuleViolation naming the parameter when the value is not such a date
     */
    public static LocalDate periodDate(String parameter, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw RuleViolation.invalid(parameter, "must be a date, e.g. 2024-01-31");
        }
        LocalDate latest = LocalDate.now(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD);
        if (date.isBefore(EARLIEST_DATE) || date.isAfter(latest)) {
            throw RuleViolation.invalid(parameter, "must be from " + EARLIEST_DATE + " to " + latest);
        }
        return date;
    }

    public EvaluationCriteria between(LocalDate newFrom, LocalDate newTo) {
        return new EvaluationCriteria(newFrom, newTo, filters, groupBy);
    }
}
