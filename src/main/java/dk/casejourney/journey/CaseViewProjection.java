package dk.casejourney.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.common.ReadModel;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.HistoryEntry;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.citizens.api.CitizenErased;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The caseworker's read model: where each case is now ({@code case_view}), its timeline
 * ({@code case_history}) and the citizen's CPR number for display ({@code case_citizen}, the only read
 * table holding it, sealed as in the event). Token and rows are written in one transaction, so each event is applied exactly once.
 */
@Component
@ProcessingGroup(CaseViewProjection.PROCESSING_GROUP)
class CaseViewProjection implements ReadModel {

    static final String PROCESSING_GROUP = "case-views";
    private final JdbcClient jdbc;
    private final ObjectMapper objectMapper;
    private final PersonalDataVault vault;

    CaseViewProjection(JdbcClient jdbc, ObjectMapper objectMapper, PersonalDataVault vault) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.vault = vault;
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @Override
    public List<Table> tables() {
        return List.of(new Table("case_view", List.of("case_id"), "case_id"),
                       new Table("case_citizen", List.of("case_id"), "case_id"),
                       new Table("case_history", List.of("case_id", "entry_id"), "case_id"));
    }

    @EventHandler
    void on(CaseEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant recordedAt,
            @MetaDataValue(LedgerMetadata.RECORDED_BY) String recordedBy) {
        appendToHistory(event, sequenceNumber, recordedAt, recordedBy);
        if (event instanceof CaseOpened opened) {
            jdbc.sql("""
                     INSERT INTO case_view (case_id, citizen_pseudonym, citizen_group, age_band, service_area,
                                            municipality, status, holder_unit, holder_since, opened_at,
                                            last_activity_at, version, source_ref)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(opened.caseId(), opened.citizenPseudonym(), opened.citizenGroup().name(),
                        opened.ageBand().name(), opened.serviceArea().name(), opened.municipality(),
                        CaseStatus.OPEN.name(), opened.unit(), utc(opened.occurredAt()), utc(opened.occurredAt()),
                        utc(opened.occurredAt()), sequenceNumber, opened.sourceRef())
                .update();
            if (opened.citizen() == null) {
                // An imported case whose log names no citizen: there is no number to keep.
                return;
            }
            // Kept sealed, as in the event; a replay after an erasure finds the key gone and keeps nothing.
            String keyId = opened.citizen().keyId();
            jdbc.sql("INSERT INTO case_citizen (case_id, key_id, sealed_cpr) VALUES (?, ?, ?)")
                .params(opened.caseId(), keyId, vault.readable(keyId) ? opened.citizen().sealedCpr() : null)
                .update();
            return;
        }
        if (event instanceof CaseHandedOver handover) {
            jdbc.sql("UPDATE case_view SET holder_unit = ?, holder_since = ? WHERE case_id = ?")
                .params(handover.toUnit(), utc(handover.occurredAt()), handover.caseId())
                .update();
        } else if (event instanceof CaseResolved resolved) {
            jdbc.sql("UPDATE case_view SET status = ?, resolved_at = ? WHERE case_id = ?")
                .params(CaseStatus.RESOLVED.name(), utc(resolved.occurredAt()), resolved.caseId())
                .update();
        } else if (event instanceof CaseReopened reopened) {
            jdbc.sql("UPDATE case_view SET status = ?, resolved_at = NULL WHERE case_id = ?")
                .params(CaseStatus.OPEN.name(), reopened.caseId())
                .update();
        } else if (event instanceof EntryCorrected correction) {
            applyCorrection(correction);
        }
        jdbc.sql("""
                 UPDATE case_view SET version = ?,
                        last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END
                 WHERE case_id = ?""")
            .params(sequenceNumber, utc(event.occurredAt()), utc(event.occurredAt()), event.caseId())
            .update();
    }

    /** Erased citizens' sealed numbers are dropped too, not merely left without their key. */
    @EventHandler
    void on(CitizenErased erased) {
        // Only numbers whose key is gone: a case the citizen opened after the erasure has a live key of its own.
        jdbc.sql("""
                 SELECT c.case_id, c.key_id FROM case_citizen c JOIN case_view v ON v.case_id = c.case_id
                 WHERE v.citizen_pseudonym = ? AND c.sealed_cpr IS NOT NULL""")
            .param(erased.citizenPseudonym())
            .query((rs, row) -> new String[] {rs.getString("case_id"), rs.getString("key_id")})
            .list().stream()
            .filter(row -> !vault.readable(row[1]))
            .forEach(row -> jdbc.sql("UPDATE case_citizen SET sealed_cpr = NULL WHERE case_id = ?")
                                .param(row[0]).update());
    }

    @ResetHandler
    void reset() {
        jdbc.sql("DELETE FROM case_history").update();
        jdbc.sql("DELETE FROM case_citizen").update();
        jdbc.sql("DELETE FROM case_view").update();
    }

    private void appendToHistory(CaseEvent event, long sequenceNumber, Instant recordedAt, String recordedBy) {
        jdbc.sql("""
                 INSERT INTO case_history (case_id, entry_id, sequence_number, entry_type, occurred_at, recorded_at,
                                           recorded_by, details, state, corrects)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .params(event.caseId(), event.entryId(), sequenceNumber, event.getClass().getSimpleName(),
                    utc(event.occurredAt()), utc(recordedAt), recordedBy, details(event),
                    HistoryEntry.State.RECORDED.name(),
                    event instanceof EntryCorrected correction ? correction.correctedEntryId() : null)
            .update();
    }

    private void applyCorrection(EntryCorrected correction) {
        if (correction.voids()) {
            jdbc.sql("UPDATE case_history SET state = ?, current_details = NULL WHERE case_id = ? AND entry_id = ?")
                .params(HistoryEntry.State.VOID.name(), correction.caseId(), correction.correctedEntryId())
                .update();
        } else {
            jdbc.sql("""
                     UPDATE case_history SET state = ?, current_details = ?, occurred_at = ?
                     WHERE case_id = ? AND entry_id = ?""")
                .params(HistoryEntry.State.CORRECTED.name(), details(correction.replacement()),
                        utc(correction.replacement().occurredAt()), correction.caseId(),
                        correction.correctedEntryId())
                .update();
        }
    }

    /** What the history shows of an event: everything but the ids it is filed under and personal data. */
    String details(CaseEvent event) {
        ObjectNode node = objectMapper.valueToTree(event);
        node.remove("caseId");
        node.remove("entryId");
        node.remove("citizen");
        if (node.get("replacement") instanceof ObjectNode replacement) {
            replacement.remove("caseId");
        }
        return node.toString();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
