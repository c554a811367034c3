package dk.casejourney.journey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseHistory;
import dk.casejourney.journey.api.CaseList;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.CaseSummary;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.FindCaseEntryQuery;
import dk.casejourney.journey.api.FindCaseHistoryQuery;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.journey.api.FindCasesQuery;
import dk.casejourney.journey.api.HistoryEntry;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WaitingFor;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Answers the caseworker's questions from the {@link CaseViewProjection} tables. What waits for whom and
 * what the citizen already provided are derived from the current (corrected) history entries, so a
 * correction changes them without a second copy to keep in step.
 */
@Component
class CaseViewQueries {

    private final JdbcClient jdbc;
    private final ObjectMapper objectMapper;
    private final Pseudonymizer pseudonymizer;
    private final PersonalDataVault vault;

    CaseViewQueries(JdbcClient jdbc, ObjectMapper objectMapper, Pseudonymizer pseudonymizer,
                    PersonalDataVault vault) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.pseudonymizer = pseudonymizer;
        this.vault = vault;
    }

    @QueryHandler
    Optional<CaseView> handle(FindCaseQuery query) {
        return jdbc.sql("""
                        SELECT v.*, c.key_id, c.sealed_cpr FROM case_view v
                        LEFT JOIN case_citizen c ON c.case_id = v.case_id
                        WHERE v.case_id = ?""")
                   .param(query.caseId())
                   .query((rs, row) -> caseView(rs))
                   .optional();
    }

    @QueryHandler
    Optional<CaseHistory> handle(FindCaseHistoryQuery query) {
        List<HistoryEntry> entries = entries(query.caseId());
        return entries.isEmpty() ? Optional.empty()
                : Optional.of(new CaseHistory(query.caseId(), citizenErased(query.caseId()), entries));
    }

    @QueryHandler
    Optional<HistoryEntry> handle(FindCaseEntryQuery query) {
        return entries(query.caseId()).stream()
                                      .filter(entry -> entry.entryId().equals(query.entryId()))
                                      .findFirst();
    }

    @QueryHandler
    CaseList handle(FindCasesQuery query) {
        StringJoiner where = new StringJoiner(" AND ", " WHERE ", "").setEmptyValue("");
        Map<String, Object> params = new HashMap<>();
        if (query.cpr() != null) {
            // Through the key store's directory: an erased citizen's number leads to no pseudonym, so to no case.
            Optional<String> pseudonym = vault.citizenPseudonym(pseudonymizer.pseudonymOf(query.cpr().replace("-", "")));
            if (pseudonym.isEmpty()) {
                return new CaseList(List.of(), query.offset(), query.limit(), 0);
            }
            where.add("citizen_pseudonym = :pseudonym");
            params.put("pseudonym", pseudonym.get());
        }
        if (query.sourceRef() != null) {
            where.add("source_ref = :sourceRef");
            params.put("sourceRef", query.sourceRef());
        }
        if (query.unit() != null) {
            where.add("holder_unit = :unit");
            params.put("unit", query.unit());
        }
        if (query.status() != null) {
            where.add("status = :status");
            params.put("status", query.status().name());
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM case_view" + where).params(params).query(Long.class).single();
        params.put("limit", query.limit());
        params.put("offset", query.offset());
        List<CaseSummary> cases = jdbc.sql("SELECT * FROM case_view" + where
                                                   + " ORDER BY opened_at DESC, case_id LIMIT :limit OFFSET :offset")
                                      .params(params)
                                      .query((rs, row) -> new CaseSummary(
                                              rs.getString("case_id"), CaseStatus.valueOf(rs.getString("status")),
                                              ServiceArea.valueOf(rs.getString("service_area")),
                                              CitizenGroup.valueOf(rs.getString("citizen_group")),
                                              rs.getString("municipality"), rs.getString("holder_unit"),
                                              instant(rs, "opened_at"), instant(rs, "resolved_at"),
                                              instant(rs, "last_activity_at"), rs.getString("source_ref")))
                                      .list();
        return new CaseList(cases, query.offset(), query.limit(), total);
    }

    private CaseView caseView(ResultSet rs) throws SQLException {
        String caseId = rs.getString("case_id");
        CaseStatus status = CaseStatus.valueOf(rs.getString("status"));
        List<HistoryEntry> entries = entries(caseId);
        Map<String, CaseView.OpenRequest> open = new LinkedHashMap<>();
        Map<InformationType, CaseView.ProvidedInformation> provided = new LinkedHashMap<>();
        for (HistoryEntry entry : entries) {
            JsonNode current = entry.effective();
            if (current == null) {
                continue;
            }
            if (entry.type().equals("InformationRequested")) {
                open.put(entry.entryId(), new CaseView.OpenRequest(
                        entry.entryId(), InformationType.valueOf(current.get("informationType").asText()),
                        entry.occurredAt(), date(current.get("dueDate")), current.get("unit").asText()));
            }
        }
        for (HistoryEntry entry : entries) {
            JsonNode current = entry.effective();
            if (current == null || !entry.type().equals("InformationProvided")) {
                continue;
            }
            if (current.hasNonNull("answersRequestId")) {
                open.remove(current.get("answersRequestId").asText());
            }
            InformationType type = InformationType.valueOf(current.get("informationType").asText());
            Instant at = Instant.parse(current.get("occurredAt").asText());
            CaseView.ProvidedInformation earlier = provided.get(type);
            provided.put(type, earlier == null
                    ? new CaseView.ProvidedInformation(type, at, Channel.valueOf(current.get("channel").asText()),
                                                       current.get("unit").asText(), at, 1)
                    : new CaseView.ProvidedInformation(type, earlier.firstProvidedAt(), earlier.channel(),
                                                       earlier.unit(), at, earlier.timesProvided() + 1));
        }
        WaitingFor waitingFor = status == CaseStatus.RESOLVED ? WaitingFor.NOBODY
                : open.isEmpty() ? WaitingFor.MUNICIPALITY : WaitingFor.CITIZEN;
        Optional<String> cpr = vault.open(rs.getString("key_id"), rs.getString("sealed_cpr"));
        // An imported case without a citizen has no number to erase.
        boolean erased = cpr.isEmpty() && rs.getString("key_id") != null;
        return new CaseView(caseId, status, cpr.orElse(null), erased, rs.getString("citizen_pseudonym"),
                            CitizenGroup.valueOf(rs.getString("citizen_group")),
                            AgeBand.valueOf(rs.getString("age_band")),
                            ServiceArea.valueOf(rs.getString("service_area")), rs.getString("municipality"),
                            instant(rs, "opened_at"), instant(rs, "resolved_at"),
                            new CaseView.Holder(rs.getString("holder_unit"), instant(rs, "holder_since")),
                            waitingFor, List.copyOf(open.values()), List.copyOf(provided.values()),
                            instant(rs, "last_activity_at"), rs.getLong("version"));
    }

    /**
     * Erased when the sealed number was dropped, or its key destroyed and the projection not yet told. A case
     * without a case_citizen row is an imported one without a citizen: nothing was erased.
     */
    private boolean citizenErased(String caseId) {
        return jdbc.sql("SELECT key_id, sealed_cpr FROM case_citizen WHERE case_id = ?")
                   .param(caseId)
                   .query((rs, row) -> rs.getString("sealed_cpr") == null || !vault.readable(rs.getString("key_id")))
                   .optional()
                   .orElse(false);
    }

    /** The case's entries in occurredAt order, ties in the order they were recorded. */
    private List<HistoryEntry> entries(String caseId) {
        List<Row> rows = jdbc.sql("""
                                  SELECT * FROM case_history WHERE case_id = ?
                                  ORDER BY occurred_at, sequence_number""")
                             .param(caseId)
                             .query((rs, n) -> new Row(rs.getString("entry_id"), rs.getLong("sequence_number"),
                                                       rs.getString("entry_type"), instant(rs, "occurred_at"),
                                                       instant(rs, "recorded_at"), rs.getString("recorded_by"),
                                                       rs.getString("details"), rs.getString("state"),
                                                       rs.getString("current_details"), rs.getString("corrects")))
                             .list();
        Map<String, List<String>> correctedBy = new HashMap<>();
        rows.stream()
            .filter(row -> row.corrects() != null)
            .sorted(Comparator.comparingLong(Row::sequenceNumber))
            .forEach(row -> correctedBy.computeIfAbsent(row.corrects(), k -> new ArrayList<>()).add(row.entryId()));
        return rows.stream().map(row -> {
            JsonNode details = json(row.details());
            HistoryEntry.State state = HistoryEntry.State.valueOf(row.state());
            JsonNode current = state == HistoryEntry.State.CORRECTED ? json(row.currentDetails()) : null;
            return new HistoryEntry(row.entryId(), row.sequenceNumber(), row.type(), row.occurredAt(),
                                    row.recordedAt(), row.recordedBy(), details, state, current, row.corrects(),
                                    correctedBy.getOrDefault(row.entryId(), List.of()));
        }).toList();
    }

    private record Row(String entryId, long sequenceNumber, String type, Instant occurredAt, Instant recordedAt,
                       String recordedBy, String details, String state, String currentDetails, String corrects) {
    }

    private JsonNode json(String text) {
        try {
            return objectMapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("case_history holds malformed JSON", e);
        }
    }

    private static LocalDate date(JsonNode node) {
        return node == null || node.isNull() ? null : LocalDate.parse(node.asText());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
