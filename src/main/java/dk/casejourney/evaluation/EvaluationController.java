package dk.casejourney.evaluation;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.evaluation.api.CaseFiguresList;
import dk.casejourney.evaluation.api.Comparison;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindCaseFiguresQuery;
import dk.casejourney.evaluation.api.FindComparisonQuery;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.FindVariantsQuery;
import dk.casejourney.evaluation.api.ProcessMap;
import dk.casejourney.evaluation.api.Variants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel-strategy evaluation: figures per group over a period, before/after a change, and the process
 * map. JSON by default; the evaluation and the comparison also as CSV on {@code Accept: text/csv}.
 */
@RestController
@RequestMapping("/api/evaluation")
@Tag(name = "Evaluation", description = "Journey figures and the channel-strategy evaluation")
class EvaluationController {

    static final String TEXT_CSV = "text/csv";
    private final QueryGateway queries;

    EvaluationController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Figures per group of the cases opened from `from` to `to` (both included; each optional, "
            + "none: all cases)")
    EvaluationReport evaluation(@RequestParam Map<String, String> parameters) {
        return evaluate(criteria(parameters));
    }

    @GetMapping(produces = TEXT_CSV)
    @Operation(summary = "The same as CSV: a header row, then one row per group")
    String evaluationCsv(@RequestParam Map<String, String> parameters) {
        EvaluationCriteria criteria = criteria(parameters);
        return EvaluationTable.csv(evaluate(criteria), groupColumns(criteria));
    }

    @GetMapping(path = "/cases", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Per case opened from `from` to `to`: source reference, events, lead time, steps, "
            + "handovers, returns and repeated activities (rework)")
    CaseFiguresList cases(@RequestParam Map<String, String> parameters) {
        return caseFigures(parameters);
    }

    @GetMapping(path = "/cases", produces = TEXT_CSV)
    @Operation(summary = "The same as CSV, one row per case; activities_repeated lists label=repetitions, "
            + "separated by |")
    String casesCsv(@RequestParam Map<String, String> parameters) {
        return EvaluationTable.casesCsv(caseFigures(parameters));
    }

    private CaseFiguresList caseFigures(Map<String, String> parameters) {
        EvaluationCriteria criteria = criteria(parameters);
        if (!criteria.groupBy().isEmpty()) {
            throw RuleViolation.invalid("groupBy", "is not a parameter of the per-case list");
        }
        return queries.query(new FindCaseFiguresQuery(criteria), CaseFiguresList.class).join();
    }

    @GetMapping(path = "/comparison", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Before and after changeDate, per group, with the differences after - before")
    Comparison comparison(@RequestParam Map<String, String> parameters) {
        return compare(parameters);
    }

    @GetMapping(path = "/comparison", produces = TEXT_CSV)
    @Operation(summary = "The comparison as CSV: one row per side and group, column side = before|after")
    String comparisonCsv(@RequestParam Map<String, String> parameters) {
        Comparison comparison = compare(parameters);
        String before = EvaluationTable.csv(comparison.before(), comparison.before().groupBy());
        String after = EvaluationTable.csv(comparison.after(), comparison.after().groupBy());
        StringBuilder out = new StringBuilder("side,").append(before, 0, before.indexOf("\r\n") + 2);
        appendSide(out, "before", before);
        appendSide(out, "after", after);
        return out.toString();
    }

    @GetMapping(path = "/process-map", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Process map (directly-follows graph) of activities or units: per node frequency, cases, "
            + "starts and ends; per edge transitions, cases and the time between (count, mean, median, p90, max); "
            + "edges with fewer than minTransitions transitions hidden")
    ProcessMap processMap(@RequestParam Map<String, String> parameters) {
        Map<String, String> rest = new HashMap<>(parameters);
        ProcessMap.Level level = level(rest.remove("level"));
        long minTransitions = number(rest.remove("minTransitions"), "minTransitions", 1, 1, Integer.MAX_VALUE);
        return queries.query(new FindProcessMapQuery(ungrouped(rest), level, minTransitions), ProcessMap.class)
                      .join();
    }

    @GetMapping(path = "/variants", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The distinct paths (level=activity: activity sequences; unit: service-step units) with "
            + "their cases, share and lead time of the resolved ones, the most frequent first (at most limit)")
    Variants variants(@RequestParam Map<String, String> parameters) {
        Map<String, String> rest = new HashMap<>(parameters);
        ProcessMap.Level level = level(rest.remove("level"));
        int limit = (int) number(rest.remove("limit"), "limit", 50, 1, 1000);
        return queries.query(new FindVariantsQuery(ungrouped(rest), level, limit), Variants.class).join();
    }

    private static ProcessMap.Level level(String level) {
        return switch (level == null ? "activity" : level.strip()) {
            case "activity" -> ProcessMap.Level.ACTIVITY;
            case "unit" -> ProcessMap.Level.UNIT;
            default -> throw RuleViolation.invalid("level", "must be activity or unit");
        };
    }

    private static long number(String value, String name, long fallback, long min, long max) {
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw RuleViolation.invalid(name, "must be a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw RuleViolation.invalid(name, "must be a whole number from " + min + " to " + max);
        }
        return parsed;
    }

    /** Criteria of a view that does not group (process map, variants). */
    private static EvaluationCriteria ungrouped(Map<String, String> parameters) {
        EvaluationCriteria criteria = criteria(parameters);
        if (!criteria.groupBy().isEmpty()) {
            throw RuleViolation.invalid("groupBy", "is not a parameter of this view; filter instead");
        }
        return criteria;
    }

    private static void appendSide(StringBuilder out, String side, String csv) {
        String[] lines = csv.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            out.append(side).append(',').append(lines[i]).append("\r\n");
        }
    }

    private Comparison compare(Map<String, String> parameters) {
        LocalDate changeDate = date(parameters, "changeDate");
        EvaluationCriteria criteria = criteria(parameters);
        if ((criteria.from() != null && !changeDate.isAfter(criteria.from()))
                || (criteria.to() != null && changeDate.isAfter(criteria.to()))) {
            throw RuleViolation.invalid("changeDate", "must be after from and not after to");
        }
        return queries.query(new FindComparisonQuery(criteria, changeDate), Comparison.class).join();
    }

    private EvaluationReport evaluate(EvaluationCriteria criteria) {
        return queries.query(new FindEvaluationQuery(criteria), EvaluationReport.class).join();
    }

    private static List<String> groupColumns(EvaluationCriteria criteria) {
        return criteria.groupBy().stream().map(Dimension::parameter).toList();
    }

    /**
     * Parameters: from, to (dates, each optional), filters by dimension name, groupBy (comma-separated),
     * changeDate, level.
     */
    static EvaluationCriteria criteria(Map<String, String> parameters) {
        List<String> known = new ArrayList<>(List.of("from", "to", "groupBy", "changeDate", "level"));
        Arrays.stream(Dimension.values()).filter(Dimension::filter).map(Dimension::parameter).forEach(known::add);
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw RuleViolation.invalid(name, "is not a parameter; use " + String.join(", ", known));
            }
        }
        // The period is optional on every evaluation view: a bound not given is no bound (all cases).
        LocalDate from = parameters.get("from") == null ? null : date(parameters, "from");
        LocalDate to = parameters.get("to") == null ? null : date(parameters, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw RuleViolation.invalid("to", "must not be before from");
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (Dimension dimension : Dimension.values()) {
            String value = parameters.get(dimension.parameter());
            if (dimension.filter() && value != null) {
                filters.put(dimension, dimension.filterValue(value.strip()));
            }
        }
        List<Dimension> groupBy = new ArrayList<>();
        String groupByText = parameters.get("groupBy");
        if (groupByText != null && !groupByText.isBlank()) {
            for (String name : groupByText.split(",")) {
                Dimension dimension;
                try {
                    dimension = Dimension.ofParameter(name.strip());
                } catch (IllegalArgumentException e) {
                    throw RuleViolation.invalid("groupBy", "unknown dimension \"" + name.strip() + "\"; use "
                            + String.join(", ", Arrays.stream(Dimension.values()).map(Dimension::parameter).toList()));
                }
                if (groupBy.contains(dimension)) {
                    throw RuleViolation.invalid("groupBy", dimension.parameter() + " is given twice");
                }
                groupBy.add(dimension);
            }
        }
        return new EvaluationCriteria(from, to, filters, groupBy);
    }

    private static LocalDate date(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            throw RuleViolation.invalid(name, "is required (a date, e.g. 2024-01-31)");
        }
        return EvaluationCriteria.periodDate(name, value);
    }
}
