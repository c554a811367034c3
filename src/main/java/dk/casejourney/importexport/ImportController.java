package dk.casejourney.importexport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.common.FieldError;
import dk.casejourney.common.Identifiers;
import dk.casejourney.common.Problems;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.common.TextRules;
import dk.casejourney.importexport.api.FindImportQuery;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports of event logs. The upload is a file, not a message, so it is handed to the {@link LogImporter}, which
 * records it as case commands through the bulk recording path; reports are read through the query gateway.
 */
@RestController
@RequestMapping(path = "/api/imports", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Imports", description = "Historical journeys from XES event logs")
class ImportController {

    static final int MAX_TRACES_PER_BATCH = 1000;
    private final LogImporter importer;
    private final QueryGateway queries;
    private final ObjectMapper objectMapper;

    ImportController(LogImporter importer, QueryGateway queries, ObjectMapper objectMapper) {
        this.importer = importer;
        this.queries = queries;
        this.objectMapper = objectMapper;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import an XES log (part `file`, plain or gzip) with an optional JSON `mapping` part; "
            + "answers the import report, or a problem naming trace and line if the file is broken")
    ResponseEntity<?> create(@RequestPart("file") MultipartFile file,
                             @RequestPart(name = "mapping", required = false) String mapping) {
        if (file.isEmpty()) {
            throw RuleViolation.invalid("file", "is empty");
        }
        ImportMapping parsed = mapping(mapping);
        String importId = Identifiers.random();
        String fileName = file.getOriginalFilename() == null ? "upload" : truncated(file.getOriginalFilename());
        ImportReport report = importer.importLog(importId, fileName, file::getInputStream, file.getSize(), parsed,
                                                 progress -> { });
        URI location = URI.create("/api/imports/" + importId);
        if (report.status() == ImportReport.Status.COMPLETED) {
            return ResponseEntity.created(location).body(report);
        }
        ImportReport.Failure error = report.error();
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-event-log",
                                            "The event log is not valid XES", error.message(),
                                            List.of(new FieldError("file", error.message())));
        problem.setProperty("kind", error.kind());
        problem.setProperty("trace", error.trace());
        problem.setProperty("line", error.line());
        problem.setProperty("importId", importId);
        problem.setProperty("casesImported", report.casesImported());
        return ResponseEntity.unprocessableEntity().location(location)
                             .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @GetMapping("/{importId}")
    @Operation(summary = "An import's report (while it runs: how far it has come)")
    ResponseEntity<?> find(@PathVariable @Pattern(regexp = "[0-9a-f-]{36}") String importId) {
        return queries.query(new FindImportQuery(importId), ResponseTypes.optionalInstanceOf(ImportReport.class))
                      .join()
                      .<ResponseEntity<?>>map(ResponseEntity::ok)
                      .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Problems.of(
                              HttpStatus.NOT_FOUND, "not-found", "Not Found", "no import " + importId,
                              List.of(new FieldError("importId", "no import " + importId)))));
    }

    private ImportMapping mapping(String json) {
        if (json == null || json.isBlank()) {
            return ImportMapping.defaults();
        }
        ImportMapping mapping;
        try {
            mapping = objectMapper.readValue(json, ImportMapping.class);
        } catch (JsonProcessingException e) {
            throw RuleViolation.invalid("mapping", "is not a valid mapping: " + e.getOriginalMessage());
        }
        return bounded(mapping).withDefaults();
    }

    /** Options inside their domain: a batch of 1 to {@value #MAX_TRACES_PER_BATCH} traces, texts without control
     * characters or CPR numbers and at most 200 characters, value maps of at most 1,000 words. */
    static ImportMapping bounded(ImportMapping mapping) {
        if (mapping.tracesPerBatch() != null
                && (mapping.tracesPerBatch() < 1 || mapping.tracesPerBatch() > MAX_TRACES_PER_BATCH)) {
            throw RuleViolation.invalid("mapping.tracesPerBatch", "must be from 1 to " + MAX_TRACES_PER_BATCH);
        }
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("source", mapping.source());
        texts.put("channelAttribute", mapping.channelAttribute());
        texts.put("citizenGroupAttribute", mapping.citizenGroupAttribute());
        texts.put("serviceAreaAttribute", mapping.serviceAreaAttribute());
        texts.put("municipalityAttribute", mapping.municipalityAttribute());
        texts.put("defaultMunicipality", mapping.defaultMunicipality());
        texts.put("defaultUnit", mapping.defaultUnit());
        texts.forEach((field, value) -> TextRules.check(value, 200, false, "mapping." + field));
        Map<String, Map<String, ?>> words = new LinkedHashMap<>();
        words.put("channelValues", mapping.channelValues());
        words.put("citizenGroupValues", mapping.citizenGroupValues());
        words.put("serviceAreaValues", mapping.serviceAreaValues());
        words.forEach((field, values) -> {
            if (values != null) {
                if (values.size() > 1000) {
                    throw RuleViolation.invalid("mapping." + field, "must have at most 1000 entries");
                }
                values.keySet().forEach(word -> TextRules.check(word, 200, false, "mapping." + field));
            }
        });
        return mapping;
    }

    private static String truncated(String name) {
        return name.length() <= 300 ? name : name.substring(0, 300);
    }
}
