package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.CaseFiguresList;
import dk.casejourney.evaluation.api.Distribution;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.journey.api.Channel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The evaluation as a table: one row per group, columns in a fixed order with stable snake_case names
 * (group columns first, by the request's groupBy). The CSV export and the before/after differences use it.
 * Handovers per unit pair are not flattened: they are a table of their own in the JSON.
 */
final class EvaluationTable {

    private EvaluationTable() {
    }

    static Map<String, Object> row(EvaluationReport.Group group) {
        Map<String, Object> row = new LinkedHashMap<>();
        group.key().forEach(row::put);
        row.put("cases", group.cases());
        row.put("open_cases", group.openCases());
        row.put("resolved_cases", group.resolvedCases());
        distribution(row, "service_steps", group.serviceSteps());
        distribution(row, "touchpoints", group.touchpoints());
        distribution(row, "handovers", group.handovers());
        distribution(row, "lead_time_ms", group.leadTimeMs());
        distribution(row, "lead_time_business_ms", group.leadTimeBusinessMs());
        distribution(row, "handling_time_ms", group.handlingTimeMs());
        distribution(row, "waiting_for_citizen_ms", group.waitingForCitizenMs());
        distribution(row, "waiting_for_citizen_business_ms", group.waitingForCitizenBusinessMs());
        distribution(row, "waiting_for_municipality_ms", group.waitingForMunicipalityMs());
        distribution(row, "waiting_for_municipality_business_ms", group.waitingForMunicipalityBusinessMs());
        distribution(row, "staff_minutes", group.staffMinutes());
        distribution(row, "queue_time_ms", group.queueTimeMs());
        row.put("repeated_information_rate", group.repeatedInformationRate());
        row.put("first_contact_resolution_rate", group.firstContactResolutionRate());
        row.put("avoidable_contact_rate", group.avoidableContactRate());
        row.put("contacts", group.contacts());
        for (Channel channel : Channel.values()) {
            row.put("channel_mix_" + channel.name().toLowerCase(Locale.ROOT),
                    group.contacts() == 0 ? null : group.channelMix().getOrDefault(channel, 0.0));
        }
        row.put("digital_first_share", group.digitalFirstShare());
        row.put("satisfaction_count", group.satisfaction().count());
        row.put("satisfaction_mean", group.satisfaction().mean());
        for (int score = 1; score <= 5; score++) {
            row.put("satisfaction_" + score, group.satisfaction().distribution().getOrDefault(score, 0L));
        }
        for (Channel channel : Channel.values()) {
            EvaluationReport.Satisfaction s = group.satisfactionByChannel().get(channel);
            String name = "satisfaction_" + channel.name().toLowerCase(Locale.ROOT);
            row.put(name + "_count", s == null ? 0L : s.count());
            row.put(name + "_mean", s == null ? null : s.mean());
        }
        distribution(row, "returns", group.returns());
        row.put("return_rate", group.returnRate());
        row.put("citizens", group.repeatedInformationAcrossCases().citizens());
        row.put("citizen_repeated_information_rate", group.repeatedInformationAcrossCases().repeatedRate());
        distribution(row, "citizen_repeated_information", group.repeatedInformationAcrossCases().repeatsPerCitizen());
        return row;
    }

    private static void distribution(Map<String, Object> row, String name, Distribution d) {
        row.put(name + "_count", d.count());
        row.put(name + "_mean", d.mean());
        row.put(name + "_median", d.median());
        row.put(name + "_p90", d.p90());
        row.put(name + "_max", d.max());
    }

    /** CSV (RFC 4180): header row, then one row per group; empty cells where a figure has no value. */
    static String csv(EvaluationReport report, List<String> groupColumns) {
        List<Map<String, Object>> rows = new ArrayList<>();
        report.groups().forEach(group -> rows.add(row(group)));
        List<String> header = new ArrayList<>(groupColumns);
        Map<String, Object> template = row(emptyGroup());
        header.addAll(template.keySet());
        StringBuilder out = new StringBuilder();
        out.append(line(header)).append("\r\n");
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : header) {
                cells.add(cell(row.get(column)));
            }
            out.append(line(cells)).append("\r\n");
        }
        return out.toString();
    }

    /** One row per case; repeated activities as label=repetitions, separated by |. */
    static String casesCsv(CaseFiguresList list) {
        StringBuilder out = new StringBuilder();
        out.append(line(List.of("case_id", "source_ref", "status", "opened_at", "events", "lead_time_ms",
                                "service_steps", "handovers", "returns", "rework", "activities_repeated")))
           .append("\r\n");
        for (CaseFiguresList.CaseFigures c : list.cases()) {
            StringJoiner repeated = new StringJoiner("|");
            c.repeatedActivities().forEach((activity, times) -> repeated.add(activity + "=" + times));
            out.append(line(List.of(text(c.caseId()), cell(c.sourceRef()), c.status().name(), c.openedAt().toString(),
                                    cell(c.events()), cell(c.leadTimeMs()), cell(c.serviceSteps()),
                                    cell(c.handovers()), cell(c.returns()), cell(c.rework()),
                                    text(repeated.toString()))))
               .append("\r\n");
        }
        return out.toString();
    }

    private static EvaluationReport.Group emptyGroup() {
        Distribution none = new Distribution(0, null, null, null, null);
        return new EvaluationReport.Group(Map.of(), 0, 0, 0, none, none, none, none, none, none, none, none, none,
                                          none, none, none, null, null, null, 0, Map.of(), null,
                                          new EvaluationReport.Satisfaction(0, null, Map.of()), List.of(), none, null,
                                          new EvaluationReport.CitizenRepetition(0, null, none), Map.of(), Map.of(),
                                          Map.of());
    }

    private static String line(List<String> cells) {
        StringJoiner joiner = new StringJoiner(",");
        cells.forEach(cell -> joiner.add(escape(cell)));
        return joiner.toString();
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            // Plain decimals, never exponents, so that every spreadsheet reads them as numbers.
            return d.isNaN() || d.isInfinite() ? "" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number) {
            // Figures the ledger computed: a leading minus is a negative number, never neutralised.
            return value.toString();
        }
        return text(value.toString());
    }

    /**
     * A text cell (unit, source reference, activity, case id) that a spreadsheet would read as a formula, i.e.
     * starting with =, +, -, @, tab or carriage return, gets a leading apostrophe, as OWASP recommends against
     * CSV injection; quoting ({@link #escape}) then keeps separators and quotes inside the cell.
     */
    static String text(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static String escape(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
