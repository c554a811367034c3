package dk.casejourney.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.audit.api.AccessLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access log: append-only (rows are inserted, and deleted only by the retention job when they expire),
 * in the ledger's own database.
 */
@Component
class AccessLogStore {

    private final JdbcClient jdbc;
    private final ObjectMapper json = new ObjectMapper();

    AccessLogStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void append(Instant at, String who, String purpose, String what, String criteria, String cprPseudonym,
                List<String> caseIds) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                 INSERT INTO access_log (accessed_at, accessed_by, purpose, what, criteria, cpr_pseudonym)
                 VALUES (?, ?, ?, ?, ?, ?)""")
            .params(at.atOffset(ZoneOffset.UTC), who, purpose, what, criteria, cprPseudonym)
            .update(key, "id");
        long id = key.getKeyAs(Long.class);
        for (String caseId : caseIds.stream().distinct().toList()) {
            jdbc.sql("INSERT INTO access_log_case (access_id, case_id) VALUES (?, ?)").params(id, caseId).update();
        }
    }

    /** Entries that searched for the citizen's pseudonym or disclosed any of the cases, newest first. */
    List<AccessLog.Entry> about(String cprPseudonym, Collection<String> caseIds) {
        Map<String, Object> params = new HashMap<>();
        params.put("pseudonym", cprPseudonym);
        String byCase = "";
        if (!caseIds.isEmpty()) {
            params.put("cases", caseIds);
            byCase = " OR id IN (SELECT access_id FROM access_log_case WHERE case_id IN (:cases))";
        }
        Map<Long, Row> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM access_log WHERE cpr_pseudonym = :pseudonym" + byCase
                         + " ORDER BY accessed_at DESC, id DESC")
            .params(params)
            .query((rs, n) -> new Row(rs.getLong("id"), rs.getObject("accessed_at", OffsetDateTime.class).toInstant(),
                                      rs.getString("accessed_by"), rs.getString("purpose"), rs.getString("what"),
                                      rs.getString("criteria")))
            .list()
            .forEach(row -> rows.put(row.id(), row));
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> cases = new HashMap<>();
        jdbc.sql("SELECT access_id, case_id FROM access_log_case WHERE access_id IN (:ids) ORDER BY case_id")
            .param("ids", rows.keySet())
            .query(rs -> {
                cases.computeIfAbsent(rs.getLong("access_id"), id -> new ArrayList<>()).add(rs.getString("case_id"));
            });
        return rows.values().stream()
                   .map(row -> new AccessLog.Entry(row.id(), row.at(), row.who(), row.purpose(), row.what(),
                                                   parse(row.criteria()), cases.getOrDefault(row.id(), List.of())))
                   .toList();
    }

    /** @return the number of entries deleted */
    int deleteOlderThan(Instant cutoff) {
        OffsetDateTime before = cutoff.atOffset(ZoneOffset.UTC);
        jdbc.sql("DELETE FROM access_log_case WHERE access_id IN (SELECT id FROM access_log WHERE accessed_at < ?)")
            .param(before).update();
        return jdbc.sql("DELETE FROM access_log WHERE accessed_at < ?").param(before).update();
    }

    private record Row(long id, Instant at, String who, String purpose, String what, String criteria) {
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String criteria) {
        try {
            return json.readTree(criteria);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("access_log holds malformed criteria", e);
        }
    }
}
