package dk.casejourney.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.evaluation.api.Comparison;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.Distribution;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindComparisonQuery;
import dk.casejourney.evaluation.api.Evaluations;
import dk.casejourney.evaluation.api.FindEvaluationsQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.ProcessMap;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Management's pages: the evaluation dashboard, before/after a change, and the process map. Every figure comes
 * from the evaluation queries the JSON API answers with; the pages only choose, arrange and word them. Filters
 * are in the URL (they hold no personal data), so a view can be bookmarked and shared.
 */
@Controller
@RequestMapping("/app/evaluation")
class EvaluationPages {

    static final List<String> FILTERS = List.of("citizenGroup", "ageBand", "serviceArea", "channel", "unit", "municipality");

    private final QueryGateway queries;
    private final Display display;
    private final MessageSource messages;
    private final ObjectMapper json;

    EvaluationPages(QueryGateway queries, Display display, MessageSource messages, ObjectMapper json) {
        this.queries = queries;
        this.display = display;
        this.messages = messages;
        this.json = json;
    }

    /** The criteria from the page's parameters, or the fields refused (message keys or the rule's reason). */
    record Selection(Map<String, String> values, EvaluationCriteria criteria, LocalDate changeDate,
                     Map<String, String> errors) {

        public String query() {
            StringBuilder out = new StringBuilder();
            values.forEach((name, value) -> {
                if (!value.isBlank()) {
                    out.append(out.isEmpty() ? "" : "&").append(name).append('=')
                       .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            });
            return out.toString();
        }
    }

    static Selection select(Map<String, String> parameters, boolean withChangeDate) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        LocalDate today = LocalDate.now(Display.COPENHAGEN);
        // An explicit period always: by default the last three years up to today.
        LocalDate from = date(parameters, "from", today.minusYears(3).withDayOfYear(1), values, errors);
        LocalDate to = date(parameters, "to", today, values, errors);
        if (errors.isEmpty() && to.isBefore(from)) {
            errors.put("to", "error.period");
        }
        LocalDate changeDate = null;
        if (withChangeDate) {
            LocalDate middle = from.plusDays(java.time.temporal.ChronoUnit.DAYS.between(from, to) / 2);
            changeDate = date(parameters, "changeDate", middle, values, errors);
            if (errors.isEmpty() && (!changeDate.isAfter(from) || changeDate.isAfter(to))) {
                errors.put("changeDate", "error.changeDate");
            }
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (String name : FILTERS) {
            String value = parameters.getOrDefault(name, "").strip();
            values.put(name, value);
            if (!value.isEmpty()) {
                Dimension dimension = Dimension.ofParameter(name);
                try {
                    filters.put(dimension, dimension.filterValue(value));
                } catch (RuleViolation refused) {
                    errors.put(name, refused.reason());
                }
            }
        }
        EvaluationCriteria criteria = errors.isEmpty() ? new EvaluationCriteria(from, to, filters, List.of()) : null;
        return new Selection(values, criteria, changeDate, errors);
    }

    private static LocalDate date(Map<String, String> parameters, String name, LocalDate fallback,
                                  Map<String, String> values, Map<String, String> errors) {
        String text = parameters.getOrDefault(name, "").strip();
        if (text.isEmpty()) {
            values.put(name, fallback.toString());
            return fallback;
        }
        values.put(name, text);
        try {
            // The API's bounds: a period outside them selects no case and only costs date arithmetic.
            return EvaluationCriteria.periodDate(name, text);
        } catch (RuleViolation e) {
            errors.put(name, "error.date");
            return fallback;
        }
    }

    private void filterChoices(Model model) {
        model.addAttribute("citizenGroups", CitizenGroup.values());
        model.addAttribute("ageBands", AgeBand.values());
        model.addAttribute("serviceAreas", ServiceArea.values());
        model.addAttribute("channels", Channel.values());
    }

    @GetMapping
    String dashboard(@RequestParam Map<String, String> parameters, Model model) {
        Selection selection = select(parameters, false);
        model.addAttribute("selection", selection);
        filterChoices(model);
        if (selection.criteria() != null) {
            Dashboard dashboard = dashboard(selection.criteria());
            model.addAttribute("overall", dashboard.overall());
            model.addAttribute("charts", dashboard.charts());
            model.addAttribute("chartJson", chartJson(dashboard.charts()));
        }
        return "web/evaluation";
    }

    @GetMapping("/csv/{chart}")
    ResponseEntity<String> csv(@PathVariable String chart, @RequestParam Map<String, String> parameters) {
        Selection selection = select(parameters, false);
        if (selection.criteria() == null) {
            Map.Entry<String, String> first = selection.errors().entrySet().iterator().next();
            throw RuleViolation.invalid(first.getKey(), first.getValue());
        }
        Charts.Chart found = dashboard(selection.criteria()).charts().stream()
                                                               .filter(candidate -> candidate.id().equals(chart))
                                                               .findFirst()
                                                               .orElseThrow(() -> new PageNotFound("error.noSuchForm"));
        return ResponseEntity.ok()
                             .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                             .header(HttpHeaders.CONTENT_DISPOSITION,
                                     "attachment; filename=\"" + chart + "-" + selection.criteria().from() + "-"
                                             + selection.criteria().to() + ".csv\"")
                             .body(Charts.csv(found));
    }

    record Dashboard(EvaluationReport.Group overall, List<Charts.Chart> charts) {
    }

    /**
     * The selected cases evaluated three ways (all, by month, by channel) by one query, which reads the cases
     * once for all three.
     */
    Dashboard dashboard(EvaluationCriteria criteria) {
        List<EvaluationReport> reports = queries.query(
                new FindEvaluationsQuery(criteria, List.of(List.of(), List.of(Dimension.MONTH),
                                                           List.of(Dimension.CHANNEL))), Evaluations.class)
                .join().reports();
        EvaluationReport overall = reports.get(0);
        List<EvaluationReport.Group> months = reports.get(1).groups().stream()
                .sorted(Comparator.comparing(group -> group.key().getOrDefault("month", ""))).toList();
        List<EvaluationReport.Group> channels = reports.get(2).groups();
        EvaluationReport.Group total = overall.groups().isEmpty() ? null : overall.groups().get(0);
        List<Charts.Chart> charts = new ArrayList<>();
        charts.add(channelMix(months));
        charts.add(digitalFirst(months));
        if (total != null) {
            charts.add(steps(total));
            charts.add(waiting(total));
            charts.add(unitPairs(total));
        }
        charts.add(rates(months));
        charts.add(staffMinutes(months));
        charts.add(satisfaction(channels));
        return new Dashboard(total, charts);
    }

    private String t(String key, Object... arguments) {
        return messages.getMessage(key, arguments, key, LocaleContextHolder.getLocale());
    }

    private static String month(EvaluationReport.Group group) {
        return group.key().getOrDefault("month", "");
    }

    private Charts.Chart channelMix(List<EvaluationReport.Group> months) {
        Charts.Table table = new Charts.Table().column(t("eval.month"), "month");
        for (Channel channel : Channel.values()) {
            table.column(display.label(channel), "channel_mix_" + channel.name().toLowerCase(java.util.Locale.ROOT));
        }
        List<Object> series = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            series.add(Charts.map("name", display.label(channel), "type", "bar", "stack", "mix",
                                  "data", months.stream().map(group -> percent(group.channelMix().get(channel))).toList()));
        }
        for (EvaluationReport.Group group : months) {
            Charts.Row row = table.row().cell(month(group), month(group));
            for (Channel channel : Channel.values()) {
                Double share = group.channelMix().get(channel);
                row.cell(display.percent(share), share);
            }
        }
        return table.chart("channel-mix", t("eval.channelMix"), t("eval.channelMix.note"),
                           Charts.map("tooltip", Charts.map("trigger", "axis"), "legend", Charts.map("top", 0),
                                      "grid", Charts.map("top", 60, "left", 50, "right", 20, "bottom", 30),
                                      "xAxis", Charts.map("type", "category", "data", months.stream().map(EvaluationPages::month).toList()),
                                      "yAxis", Charts.map("type", "value", "max", 100, "axisLabel", Charts.map("formatter", "{value} %")),
                                      "series", series));
    }

    private Charts.Chart digitalFirst(List<EvaluationReport.Group> months) {
        Charts.Table table = new Charts.Table().column(t("eval.month"), "month").column(t("eval.cases"), "cases")
                                               .column(t("eval.digitalFirst"), "digital_first_share");
        months.forEach(group -> table.row().cell(month(group), month(group))
                                     .cell(display.number(group.cases()), group.cases())
                                     .cell(display.percent(group.digitalFirstShare()), group.digitalFirstShare()));
        return table.chart("digital-first", t("eval.digitalFirst"), t("eval.digitalFirst.note"),
                           Charts.map("tooltip", Charts.map("trigger", "axis"),
                                      "grid", Charts.map("top", 20, "left", 50, "right", 20, "bottom", 30),
                                      "xAxis", Charts.map("type", "category", "data", months.stream().map(EvaluationPages::month).toList()),
                                      "yAxis", Charts.map("type", "value", "min", 0, "max", 100, "axisLabel", Charts.map("formatter", "{value} %")),
                                      "series", List.of(Charts.map("name", t("eval.digitalFirst"), "type", "line",
                                                                   "data", months.stream().map(group -> percent(group.digitalFirstShare())).toList()))));
    }

    private Charts.Chart steps(EvaluationReport.Group total) {
        Map<String, Distribution> rows = new LinkedHashMap<>();
        rows.put(t("eval.serviceSteps"), total.serviceSteps());
        rows.put(t("eval.touchpoints"), total.touchpoints());
        rows.put(t("eval.handovers"), total.handovers());
        return distributions("steps", t("eval.steps"), t("eval.steps.note"), rows, display::number, value -> value);
    }

    private Charts.Chart waiting(EvaluationReport.Group total) {
        Map<String, Distribution> rows = new LinkedHashMap<>();
        rows.put(t("eval.leadTime"), total.leadTimeMs());
        rows.put(t("eval.handlingTime"), total.handlingTimeMs());
        rows.put(t("eval.waitingForCitizen"), total.waitingForCitizenMs());
        rows.put(t("eval.waitingForMunicipality"), total.waitingForMunicipalityMs());
        // Drawn in hours: a chart axis needs one unit; the table says it in words.
        return distributions("waiting", t("eval.waiting"), t("eval.waiting.note"), rows, display::duration,
                             value -> value == null ? null : Math.round(value / 36_000.0) / 100.0);
    }

    private Charts.Chart distributions(String id, String title, String note, Map<String, Distribution> rows,
                                       Function<Number, String> shown, Function<Double, Double> plotted) {
        Charts.Table table = new Charts.Table().column(t("eval.figure"), "figure").column(t("eval.count"), "count")
                                               .column(t("eval.median"), "median").column("p90", "p90")
                                               .column(t("eval.mean"), "mean").column(t("eval.max"), "max");
        rows.forEach((name, d) -> table.row().cell(name, name).cell(display.number(d.count()), d.count())
                                       .cell(shown.apply(d.median()), d.median()).cell(shown.apply(d.p90()), d.p90())
                                       .cell(shown.apply(d.mean()), d.mean()).cell(shown.apply(d.max()), d.max()));
        List<String> names = new ArrayList<>(rows.keySet());
        List<Object> series = List.of(
                Charts.map("name", t("eval.median"), "type", "bar", "data", rows.values().stream().map(d -> plotted.apply(d.median())).toList()),
                Charts.map("name", "p90", "type", "bar", "data", rows.values().stream().map(d -> plotted.apply(d.p90())).toList()),
                Charts.map("name", t("eval.mean"), "type", "bar", "data", rows.values().stream().map(d -> plotted.apply(d.mean())).toList()));
        return table.chart(id, title, note,
                           Charts.map("tooltip", Charts.map("trigger", "axis"), "legend", Charts.map("top", 0),
                                      "grid", Charts.map("top", 40, "left", 170, "right", 30, "bottom", 30),
                                      "yAxis", Charts.map("type", "category", "data", names, "inverse", true),
                                      "xAxis", Charts.map("type", "value"), "series", series));
    }

    private Charts.Chart unitPairs(EvaluationReport.Group total) {
        List<EvaluationReport.UnitPair> pairs = total.handoversBetweenUnits().stream()
                .sorted(Comparator.comparingLong(EvaluationReport.UnitPair::count).reversed()).toList();
        Charts.Table table = new Charts.Table().column(t("eval.fromUnit"), "from_unit").column(t("eval.toUnit"), "to_unit")
                                               .column(t("eval.count"), "count").column(t("eval.medianDelay"), "median_delay_ms");
        pairs.forEach(pair -> table.row().cell(pair.fromUnit(), pair.fromUnit()).cell(pair.toUnit(), pair.toUnit())
                                   .cell(display.number(pair.count()), pair.count())
                                   .cell(display.duration(pair.medianDelayMs()), pair.medianDelayMs()));
        List<EvaluationReport.UnitPair> top = pairs.stream().limit(15).toList();
        return table.chart("unit-pairs", t("eval.unitPairs"), t("eval.unitPairs.note"),
                           Charts.map("tooltip", Charts.map("trigger", "axis"),
                                      "grid", Charts.map("top", 10, "left", 230, "right", 30, "bottom", 30),
                                      "yAxis", Charts.map("type", "category", "inverse", true,
                                                          "data", top.stream().map(pair -> pair.fromUnit() + " → " + pair.toUnit()).toList()),
                                      "xAxis", Charts.map("type", "value"),
                                      "series", List.of(Charts.map("name", t("eval.count"), "type", "bar",
                                                                   "data", top.stream().map(EvaluationReport.UnitPair::count).toList()))));
    }

    private Charts.Chart rates(List<EvaluationReport.Group> months) {
        Charts.Table table = new Charts.Table().column(t("eval.month"), "month")
                .column(t("eval.repeatedInformation"), "repeated_information_rate")
                .column(t("eval.firstContactResolution"), "first_contact_resolution_rate")
                .column(t("eval.avoidableContacts"), "avoidable_contact_rate");
        months.forEach(group -> table.row().cell(month(group), month(group))
                                     .cell(display.percent(group.repeatedInformationRate()), group.repeatedInformationRate())
                                     .cell(display.percent(group.firstContactResolutionRate()), group.firstContactResolutionRate())
                                     .cell(display.percent(group.avoidableContactRate()), group.avoidableContactRate()));
        List<String> labels = months.stream().map(EvaluationPages::month).toList();
        return table.chart("rates", t("eval.rates"), t("eval.rates.note"),
                           Charts.map("tooltip", Charts.map("trigger", "axis"), "legend", Charts.map("top", 0),
                                      "grid", Charts.map("top", 40, "left", 50, "right", 20, "bottom", 30),
                                      "xAxis", Charts.map("type", "category", "data", labels),
                                      "yAxis", Charts.map("type", "value", "min", 0, "axisLabel", Charts.map("formatter", "{value} %")),
                                      "series", List.of(
                                              Charts.map("name", t("eval.repeatedInformation"), "type", "line",
                                                         "data", months.stream().map(g -> percent(g.repeatedInformationRate())).toList()),
                                              Charts.map("name", t("eval.firstContactResolution"), "type", "line",
                                                         "data", months.stream().map(g -> percent(g.firstContactResolutionRate())).toList()),
                                              Charts.map("name", t("eval.avoidableContacts"), "type", "line",
                                                         "data", months.stream().map(g -> percent(g.avoidableContactRate())).toList()))));
    }

    private Charts.Chart staffMinutes(List<EvaluationReport.Group> months) {
        Charts.Table table = new Charts.Table().column(t("eval.month"), "month").column(t("eval.median"), "staff_minutes_median")
                                               .column("p90", "staff_minutes_p90").column(t("eval.mean"), "staff_minutes_mean");
        months.forEach(group -> table.row().cell(month(group), month(group))
                                     .cell(display.minutes(group.staffMinutes().median()), group.staffMinutes().median())
                                     .cell(display.minutes(group.staffMinutes().p90()), group.staffMinutes().p90())
                                     .cell(display.minutes(group.staffMinutes().mean()), group.staffMinutes().mean()));
        List<String> labels = months.stream().map(EvaluationPages::month).toList();
        return table.chart("staff-minutes", t("eval.staffMinutes"), t("eval.staffMinutes.note"),
                           Charts.map("tooltip", Charts.map("trigger", "axis"), "legend", Charts.map("top", 0),
                                      "grid", Charts.map("top", 40, "left", 50, "right", 20, "bottom", 30),
                                      "xAxis", Charts.map("type", "category", "data", labels),
                                      "yAxis", Charts.map("type", "value", "name", "min"),
                                      "series", List.of(
                                              Charts.map("name", t("eval.median"), "type", "bar", "data", months.stream().map(g -> round(g.staffMinutes().median())).toList()),
                                              Charts.map("name", "p90", "type", "bar", "data", months.stream().map(g -> round(g.staffMinutes().p90())).toList()))));
    }

    private Charts.Chart satisfaction(List<EvaluationReport.Group> channels) {
        Charts.Table table = new Charts.Table().column(t("eval.channel"), "channel").column(t("eval.count"), "satisfaction_count")
                                               .column(t("eval.meanScore"), "satisfaction_mean");
        List<EvaluationReport.Group> rated = channels.stream().filter(group -> group.satisfaction().count() > 0).toList();
        List<String> names = new ArrayList<>();
        for (EvaluationReport.Group group : rated) {
            String channel = group.key().getOrDefault("channel", "");
            String name = label(Channel.class, channel);
            names.add(name);
            table.row().cell(name, channel).cell(display.number(group.satisfaction().count()), group.satisfaction().count())
                 .cell(display.number(group.satisfaction().mean()), group.satisfaction().mean());
        }
        return table.chart("satisfaction", t("eval.satisfaction"), t("eval.satisfaction.note"),
                           Charts.map("tooltip", Charts.map("trigger", "axis"),
                                      "grid", Charts.map("top", 10, "left", 170, "right", 30, "bottom", 30),
                                      "yAxis", Charts.map("type", "category", "data", names, "inverse", true),
                                      "xAxis", Charts.map("type", "value", "min", 0, "max", 5),
                                      "series", List.of(Charts.map("name", t("eval.meanScore"), "type", "bar",
                                                                   "data", rated.stream().map(g -> round(g.satisfaction().mean())).toList()))));
    }

    private <E extends Enum<E>> String label(Class<E> type, String name) {
        try {
            return display.label(Enum.valueOf(type, name));
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    private static Double percent(Double share) {
        return share == null ? null : Math.round(share * 1000) / 10.0;
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10) / 10.0;
    }

    /** Each chart's option as JSON for a script element; "</" is escaped so no value can end the element. */
    private Map<String, String> chartJson(List<Charts.Chart> charts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Charts.Chart chart : charts) {
            out.put(chart.id(), toJson(chart.option()));
        }
        return out;
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart option not serializable", e);
        }
    }

    // ---- before and after a change ----

    /** One figure before and after, the API's difference and whether the change went the good way. */
    record Change(String figure, String before, String after, String difference, int direction, Boolean better) {
    }

    @GetMapping("/comparison")
    String comparison(@RequestParam Map<String, String> parameters, Model model) {
        Selection selection = select(parameters, true);
        model.addAttribute("selection", selection);
        filterChoices(model);
        if (selection.criteria() != null) {
            Comparison comparison = queries.query(new FindComparisonQuery(selection.criteria(), selection.changeDate()),
                                                  Comparison.class).join();
            EvaluationReport.Group before = comparison.before().groups().isEmpty() ? null : comparison.before().groups().get(0);
            EvaluationReport.Group after = comparison.after().groups().isEmpty() ? null : comparison.after().groups().get(0);
            Map<String, Double> differences = comparison.differences().isEmpty() ? Map.of()
                    : comparison.differences().get(0).afterMinusBefore();
            List<Change> changes = new ArrayList<>();
            if (before != null && after != null) {
                changes.add(change("eval.cases", "cases", (double) before.cases(), (double) after.cases(), differences, display::number, null));
                changes.add(change("eval.leadTimeMedian", "lead_time_ms_median", before.leadTimeMs().median(), after.leadTimeMs().median(), differences, display::duration, false));
                changes.add(change("eval.leadTimeP90", "lead_time_ms_p90", before.leadTimeMs().p90(), after.leadTimeMs().p90(), differences, display::duration, false));
                changes.add(change("eval.leadTimeBusinessMedian", "lead_time_business_ms_median", before.leadTimeBusinessMs().median(), after.leadTimeBusinessMs().median(), differences, display::businessDuration, false));
                changes.add(change("eval.waitingForCitizenMedian", "waiting_for_citizen_ms_median", before.waitingForCitizenMs().median(), after.waitingForCitizenMs().median(), differences, display::duration, false));
                changes.add(change("eval.waitingForMunicipalityMedian", "waiting_for_municipality_ms_median", before.waitingForMunicipalityMs().median(), after.waitingForMunicipalityMs().median(), differences, display::duration, false));
                changes.add(change("eval.serviceStepsMean", "service_steps_mean", before.serviceSteps().mean(), after.serviceSteps().mean(), differences, display::number, false));
                changes.add(change("eval.handoversMean", "handovers_mean", before.handovers().mean(), after.handovers().mean(), differences, display::number, false));
                changes.add(change("eval.touchpointsMean", "touchpoints_mean", before.touchpoints().mean(), after.touchpoints().mean(), differences, display::number, false));
                changes.add(change("eval.digitalFirst", "digital_first_share", before.digitalFirstShare(), after.digitalFirstShare(), differences, display::percent, true));
                changes.add(change("eval.firstContactResolution", "first_contact_resolution_rate", before.firstContactResolutionRate(), after.firstContactResolutionRate(), differences, display::percent, true));
                changes.add(change("eval.repeatedInformation", "repeated_information_rate", before.repeatedInformationRate(), after.repeatedInformationRate(), differences, display::percent, false));
                changes.add(change("eval.avoidableContacts", "avoidable_contact_rate", before.avoidableContactRate(), after.avoidableContactRate(), differences, display::percent, false));
                changes.add(change("eval.staffMinutesMean", "staff_minutes_mean", before.staffMinutes().mean(), after.staffMinutes().mean(), differences, display::minutes, false));
                changes.add(change("eval.meanScore", "satisfaction_mean", before.satisfaction().mean(), after.satisfaction().mean(), differences, display::number, true));
            }
            model.addAttribute("comparison", comparison);
            model.addAttribute("changes", changes);
        }
        return "web/comparison";
    }

    private Change change(String key, String column, Double before, Double after, Map<String, Double> differences,
                          Function<Number, String> shown, Boolean higherIsBetter) {
        Double difference = differences.get(column);
        int direction = difference == null || difference == 0 ? 0 : difference > 0 ? 1 : -1;
        Boolean better = higherIsBetter == null || direction == 0 ? null : (direction > 0) == higherIsBetter;
        // A difference of two shares is in percentage points, not a percentage of the first.
        Function<Number, String> differenceShown = column.endsWith("_rate") || column.endsWith("_share")
                ? display::percentagePoints : shown;
        String differenceText = difference == null ? "–"
                : (difference > 0 ? "+" : "") + differenceShown.apply(difference);
        return new Change(t(key), shown.apply(before), shown.apply(after), differenceText, direction, better);
    }

    // ---- the process map ----

    @GetMapping("/process-map")
    String processMap(@RequestParam Map<String, String> parameters, Model model) {
        Map<String, String> rest = new LinkedHashMap<>(parameters);
        String level = rest.getOrDefault("level", "unit");
        Selection selection = select(rest, false);
        selection.values().put("level", level);
        model.addAttribute("selection", selection);
        filterChoices(model);
        ProcessMap.Level parsed = "activity".equals(level) ? ProcessMap.Level.ACTIVITY : ProcessMap.Level.UNIT;
        if (selection.criteria() != null) {
            ProcessMap map = queries.query(new FindProcessMapQuery(selection.criteria(), parsed), ProcessMap.class).join();
            List<ProcessMap.Edge> edges = map.edges().stream()
                                             .sorted(Comparator.comparingLong(ProcessMap.Edge::transitions).reversed()).toList();
            long maxCount = edges.stream().mapToLong(ProcessMap.Edge::transitions).max().orElse(1);
            Set<String> nodes = new LinkedHashSet<>();
            edges.forEach(edge -> {
                nodes.add(edge.from());
                nodes.add(edge.to());
            });
            List<Object> links = edges.stream().<Object>map(edge -> Charts.map(
                    "source", edge.from(), "target", edge.to(), "value", edge.transitions(),
                    "lineStyle", Charts.map("width", 1 + 9.0 * edge.transitions() / maxCount),
                    "label", Charts.map("show", true, "formatter", display.number(edge.transitions()) + " · "
                            + display.duration(edge.durationMs().median())))).toList();
            List<Object> data = nodes.stream().<Object>map(node -> Charts.map("name", nodeLabel(node, parsed))).toList();
            List<Object> renamedLinks = new ArrayList<>();
            for (Object link : links) {
                @SuppressWarnings("unchecked") Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) link);
                copy.put("source", nodeLabel((String) copy.get("source"), parsed));
                copy.put("target", nodeLabel((String) copy.get("target"), parsed));
                renamedLinks.add(copy);
            }
            Map<String, Object> option = Charts.map(
                    "tooltip", Charts.map(),
                    "series", List.of(Charts.map("type", "graph", "layout", "circular", "roam", true,
                                                 "circular", Charts.map("rotateLabel", false),
                                                 "symbolSize", 28, "label", Charts.map("show", true, "position", "bottom", "fontSize", 12,
                                                                                  "color", "#1a1a1a"),
                                                 "edgeSymbol", List.of("none", "arrow"), "edgeSymbolSize", 9,
                                                 "edgeLabel", Charts.map("fontSize", 10),
                                                 "lineStyle", Charts.map("curveness", 0.2, "opacity", 0.75),
                                                 "data", data, "links", renamedLinks)));
            model.addAttribute("map", map);
            model.addAttribute("edges", edges);
            model.addAttribute("maxCount", maxCount);
            model.addAttribute("level", parsed.name());
            model.addAttribute("mapJson", toJson(option));
        }
        return "web/process-map";
    }

    /** Activities are entry types (translated); units are named as recorded. */
    private String nodeLabel(String node, ProcessMap.Level level) {
        return level == ProcessMap.Level.ACTIVITY ? display.label(node) : node;
    }
}
