package dk.casejourney.importexport;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dk.casejourney.common.Problems;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

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

    private static final Logger LOG = LoggerFactory.getLogger(ExportController.class);
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
                             .body(out -> loudly("XES", () -> xes.write(criteria, out)));
    }

    @GetMapping("/ocel")
    @Operation(summary = "The selected journeys as OCEL 2.0 JSON: cases, citizens and units as objects")
    ResponseEntity<StreamingResponseBody> ocel(@RequestParam Map<String, String> parameters) {
        EvaluationCriteria criteria = criteria(parameters);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                             .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"journeys.jsonocel\"")
                             .body(out -> loudly("OCEL", () -> ocel.write(criteria, out)));
    }

    /**
     * An export that cannot be completed fails loudly: logged at ERROR, and the exception leaves the streaming
     * body, so the server aborts the response (the client sees an incomplete transfer, not a shorter file that
     * looks whole). The writers never complete a document cut short.
     */
    private static void loudly(String format, LongSupplier export) {
        long started = System.nanoTime();
        try {
            long written = export.getAsLong();
            LOG.info("{} export complete: {} written in {} ms", format, written, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.error("{} export failed part-way and was aborted: {}", format, e.toString(), e);
            throw new ExportFailed(format, e);
        }
    }

    /** An export that could not be completed. */
    static final class ExportFailed extends RuntimeException {
        ExportFailed(String format, Throwable cause) {
            super(format + " export could not be completed", cause);
        }
    }

    /**
     * Once the first bytes are out, the status (200) is sent and no error document can follow: a problem written
     * now would be appended to the partial export and the transfer would end normally. Rethrown, the exception
     * reaches the servlet container, which closes the connection without ending the response, so the client
     * sees an incomplete transfer. Before anything was sent, the answer is a 500 problem.
     */
    @ExceptionHandler(ExportFailed.class)
    ResponseEntity<ProblemDetail> exportFailed(ExportFailed failure, HttpServletResponse response) {
        if (response.isCommitted()) {
            throw failure;
        }
        String reason = "the export could not be completed; it was aborted";
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                             .body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "export-failed", "Export failed",
                                               reason, List.of()));
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
        return EvaluationCriteria.periodDate(name, value);
    }
}
