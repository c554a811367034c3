package dk.casejourney.importexport;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Journeys for process-mining tools, streamed as they are read: XES (IEEE 1849) and OCEL 2.0 JSON. The cases
 * are those the evaluation would select (opened from {@code from} to {@code to}, Copenhagen days, and the
 * evaluation's filters); without from/to, all cases. The body is a stream, not a message, so the controller
 * hands the output stream to the export components. No CPR number or name is written: citizens by pseudonym.
 */
@RestController
@RequestMapping("/api/exports")
@Tag(name = "Exports", description = "Journeys as XES and OCEL 2.0 for process-mining tools")
class ExportController {

    private static final MediaType XES = MediaType.parseMediaType("application/xml");

    private final XesExport xes;
    private final OcelExport ocel;

    ExportController(XesExport xes, OcelExport ocel) {
        this.xes = xes;
        this.ocel = ocel;
    }

    @GetMapping("/xes")
    @Operation(summary = "The selected journeys as an XES log: one trace per case")
    ResponseEntity<StreamingResponseBody> xes(@RequestParam Map<String, String> parameters) {
        EvaluationCriteria criteria = criteria(parameters);
        return ResponseEntity.ok().contentType(XES)
                             .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"journeys.xes\"")
                             .body(out -> xes.write(criteria, out));
    }

    @GetMapping("/ocel")
    @Operation(summary = "The selected journeys as OCEL 2.0 JSON: cases, citizens and units as objects")
    ResponseEntity<StreamingResponseBody> ocel(@RequestParam Map<String, String> parameters) {
        EvaluationCriteria criteria = criteria(parameters);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                             .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"journeys.jsonocel\"")
                             .body(out -> ocel.write(criteria, out));
    }

    static EvaluationCriteria criteria(Map<String, String> parameters) {
        List<String> known = new ArrayList<>(List.of("from", "to"));
        Arrays.stream(Dimension.values()).filter(Dimension::filter).map(Dimension::parameter).forEach(known::add);
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw RuleViolation.invalid(name, "is not a parameter; use " + String.join(", ", known));
            }
        }
        LocalDate from = date(parameters, "from", LocalDate.of(1900, 1, 1));
        LocalDate to = date(parameters, "to", LocalDate.of(9999, 12, 30));
        if (to.isBefore(from)) {
            throw RuleViolation.invalid("to", "must not be before from");
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (Dimension dimension : Dimension.values()) {
            String value = parameters.get(dimension.parameter());
            if (dimension.filter() && value != null) {
                filters.put(dimension, dimension.filterValue(value.strip()));
            }
        }
        return new EvaluationCriteria(from, to, filters, List.of());
    }

    private static LocalDate date(Map<String, String> parameters, String name, LocalDate fallback) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw RuleViolation.invalid(name, "must be a date, e.g. 2024-01-31");
        }
    }
}
