package dk.casejourney.importexport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.importexport.api.FindImportQuery;
import dk.casejourney.importexport.api.ImportReport;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.ZoneOffset;
import java.util.Optional;

/** Keeps import reports (table import_report) and answers {@link FindImportQuery}. */
@Component
class ImportReports {

    private final JdbcClient jdbc;
    private final ObjectMapper objectMapper;

    ImportReports(JdbcClient jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    void save(ImportReport report) {
        String json = json(report);
        int updated = jdbc.sql("UPDATE import_report SET status = ?, report = ? WHERE import_id = ?")
                          .params(report.status().name(), json, report.importId())
                          .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO import_report (import_id, status, started_at, report) VALUES (?, ?, ?, ?)")
                .params(report.importId(), report.status().name(), report.startedAt().atOffset(ZoneOffset.UTC), json)
                .update();
        }
    }

    @QueryHandler
    Optional<ImportReport> handle(FindImportQuery query) {
        return jdbc.sql("SELECT report FROM import_report WHERE import_id = ?")
                   .param(query.importId())
                   .query(String.class)
                   .optional()
                   .map(this::report);
    }

    private String json(ImportReport report) {
        try {
            return objectMapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write import report", e);
        }
    }

    private ImportReport report(String json) {
        try {
            return objectMapper.readValue(json, ImportReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("import_report holds a malformed report", e);
        }
    }
}
