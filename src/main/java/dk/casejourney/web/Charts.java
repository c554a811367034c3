package dk.casejourney.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chart and its table: the ECharts option (drawn by the browser), the same numbers as a table beside it for
 * readers who cannot see the chart, and raw values for the CSV download.
 */
record Charts() {

    /**
     * @param id      the chart's name in URLs and element ids
     * @param option  the ECharts option, serialized into the page as JSON
     * @param headers the table's column headings (already in the reader's language)
     * @param shown   the table's cells as read (durations in words, shares in percent)
     * @param raw     the same cells as numbers for the CSV (durations in milliseconds, shares as fractions)
     */
    record Chart(String id, String title, String note, Map<String, Object> option, List<String> headers,
                 List<String> rawHeaders, List<List<String>> shown, List<List<Object>> raw) {
    }

    /** Builds a table row by row, shown and raw at once. */
    static final class Table {
        final List<String> headers = new ArrayList<>();
        final List<String> rawHeaders = new ArrayList<>();
        final List<List<String>> shown = new ArrayList<>();
        final List<List<Object>> raw = new ArrayList<>();

        Table column(String header, String rawHeader) {
            headers.add(header);
            rawHeaders.add(rawHeader);
            return this;
        }

        Row row() {
            Row row = new Row();
            shown.add(row.shown);
            raw.add(row.raw);
            return row;
        }

        Chart chart(String id, String title, String note, Map<String, Object> option) {
            return new Chart(id, title, note, option, headers, rawHeaders, shown, raw);
        }
    }

    static final class Row {
        final List<String> shown = new ArrayList<>();
        final List<Object> raw = new ArrayList<>();

        Row cell(String text, Object value) {
            shown.add(text);
            raw.add(value);
            return this;
        }
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** CSV as RFC 4180: comma-separated, quoted where needed, CRLF line ends. */
    static String csv(Chart chart) {
        StringBuilder out = new StringBuilder();
        line(out, new ArrayList<>(chart.rawHeaders()));
        chart.raw().forEach(row -> line(out, row));
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object cell = cells.get(i);
            String text = cell == null ? "" : cell.toString();
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                text = "\"" + text.replace("\"", "\"\"") + "\"";
            }
            out.append(text);
        }
        out.append("\r\n");
    }
}
