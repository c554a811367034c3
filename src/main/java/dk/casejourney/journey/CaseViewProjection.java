package dk.casejourney.journey;

import com.fasterxml.jackson.annotation.JsonFilter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.impl.SimpleBeanPropertyFilter;
import com.fasterxml.jackson.databind.ser.impl.SimpleFilterProvider;
import dk.casejourney.common.IsoInstants;
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
import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The caseworker's read model: where each case is now ({@code case_view}), its timeline
 * ({@code case_history}) and the citizen's CPR number for display ({@code case_citizen}, the only read
 * table holding it, sealed as in the event). Token and rows are written in one transaction, so each event is applied exactly once.
 * Within a processor's batch, nothing is written per event: just before the batch commits, history rows are
 * inserted in one JDBC batch, a case opened in the batch is inserted once with the net effect of its batch's
 * events, and each older case's view is updated once with that net effect.
 */
@Component
@ProcessingGroup(CaseViewProjection.PROCESSING_GROUP)
class CaseViewProjection implements ReadModel {

    static final String PROCESSING_GROUP = "case-views";
    private static final String PENDING = CaseViewProjection.class.getName() + ".pending";
    private static final String DETAILS_FILTER = "case-history-details";
    private final JdbcTemplate template;
    private final JdbcClient jdbc;
    /** Writes an event's history details (see {@link #details}); the application's mapper with the filter added. */
    private final ObjectWriter detailsWriter;
    private final PersonalDataVault vault;

    CaseViewProjection(JdbcTemplate template, ObjectMapper objectMapper, PersonalDataVault vault) {
        this.template = template;
        this.jdbc = JdbcClient.create(template);
        this.detailsWriter = objectMapper.copy()
                                         .registerModule(IsoInstants.jacksonWriterModule())
                                         .addMixIn(CaseEvent.class, HistoryDetails.class)
                                         .setFilterProvider(new SimpleFilterProvider().addFilter(
                                                 DETAILS_FILTER, new HistoryDetailsFilter()))
                                         .writer();
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
        Pending pending = pending();
        pending.history.add(historyRow(event, sequenceNumber, recordedAt, recordedBy));
        if (event instanceof CaseOpened opened) {
            pending.opened.put(opened.caseId(), new NewView(opened, sequenceNumber));
            if (opened.citizen() != null) {
                // Kept sealed, as in the event; a replay after an erasure finds the key gone and keeps nothing.
                // (An imported case whose log names no citizen has no number to keep.)
                String keyId = opened.citizen().keyId();
                pending.citizens.add(new Object[]{opened.caseId(), keyId, opened.citizen().sealedCpr()});
            }
        } else {
            // A case opened in this batch gets its final view in its insert; an older case one update.
            NewView inserted = pending.opened.get(event.caseId());
            ViewChange change = inserted != null ? inserted.change
                    : pending.views.computeIfAbsent(event.caseId(), ViewChange::new);
            if (event instanceof CaseHandedOver handover) {
                change.holder(handover.toUnit(), handover.occurredAt());
            } else if (event instanceof CaseResolved resolved) {
                change.status(CaseStatus.RESOLVED, resolved.occurredAt());
            } else if (event instanceof CaseReopened) {
                change.status(CaseStatus.OPEN, null);
            } else if (event instanceof EntryCorrected correction) {
                // The corrected entry may be among the history rows not yet inserted.
                pending.flushHistory();
                applyCorrection(correction);
            }
            change.activity(sequenceNumber, event.occurredAt());
        }
        if (!CurrentUnitOfWork.isStarted()) {
            pending.flush();
        }
    }

    private Pending pending() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new Pending();
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(PENDING, key -> {
            Pending pending = new Pending();
            root.onPrepareCommit(unitOfWork -> pending.flush());
            return pending;
        });
    }

    /**
     * What a batch has still to write, one JDBC batch per statement: the views of cases opened in the batch (with
     * the net effect of their later events in the batch), their sealed numbers, history rows in event order, and
     * per older case the net change of its view.
     */
    private final class Pending {
        private final Map<String, NewView> opened = new LinkedHashMap<>();
        private final List<Object[]> citizens = new ArrayList<>();
        private final List<Object[]> history = new ArrayList<>();
        private final Map<String, ViewChange> views = new LinkedHashMap<>();

        void flushHistory() {
            if (!history.isEmpty()) {
                template.batchUpdate("""
                                     INSERT INTO case_history (case_id, entry_id, sequence_number, entry_type,
                                                               occurred_at, recorded_at, recorded_by, details, state,
                                                               corrects)
                                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", history);
                history.clear();
            }
        }

        void flush() {
            if (!opened.isEmpty()) {
                List<Object[]> rows = new ArrayList<>(opened.size());
                for (NewView view : opened.values()) {
                    rows.add(view.row());
                }
                template.batchUpdate("""
                                     INSERT INTO case_view (case_id, citizen_pseudonym, citizen_group, age_band,
                                                            service_area, municipality, status, holder_unit,
                                                            holder_since, opened_at, last_activity_at, version,
                                                            source_ref, resolved_at)
                                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
                opened.clear();
            }
            if (!citizens.isEmpty()) {
                // Whose keys are kept, asked once for the batch (a statement per case on PostgreSQL otherwise).
                Set<String> kept = vault.readable(citizens.stream().map(row -> (String) row[1]).toList());
                for (Object[] row : citizens) {
                    if (!kept.contains((String) row[1])) {
                        row[2] = null;
                    }
                }
                template.batchUpdate("INSERT INTO case_citizen (case_id, key_id, sealed_cpr) VALUES (?, ?, ?)",
                                     citizens);
                citizens.clear();
            }
            flushHistory();
            if (views.isEmpty()) {
                return;
            }
            List<Object[]> rows = new ArrayList<>(views.size());
            for (ViewChange c : views.values()) {
                rows.add(new Object[]{c.version, utc(c.lastActivity), utc(c.lastActivity), c.holderUnit != null,
                        c.holderUnit, c.holderUnit != null, utc(c.holderSince), c.status != null,
                        c.status == null ? null : c.status.name(), c.status != null, utc(c.resolvedAt), c.caseId});
            }
            template.batchUpdate("""
                                 UPDATE case_view SET version = ?,
                                        last_activity_at = CASE WHEN last_activity_at < ? THEN ?
                                                                ELSE last_activity_at END,
                                        holder_unit = CASE WHEN ? THEN ? ELSE holder_unit END,
                                        holder_since = CASE WHEN ? THEN CAST(? AS TIMESTAMP WITH TIME ZONE)
                                                            ELSE holder_since END,
                                        status = CASE WHEN ? THEN ? ELSE status END,
                                        resolved_at = CASE WHEN ? THEN CAST(? AS TIMESTAMP WITH TIME ZONE)
                                                           ELSE resolved_at END
                                 WHERE case_id = ?""", rows);
            views.clear();
        }
    }

    /** A case opened in the batch: its view as the opening sets it, changed as the update would change it. */
    private static final class NewView {
        private final CaseOpened opened;
        private final ViewChange change;

        NewView(CaseOpened opened, long sequenceNumber) {
            this.opened = opened;
            this.change = new ViewChange(opened.caseId());
            change.holder(opened.unit(), opened.occurredAt());
            change.status(CaseStatus.OPEN, null);
            change.activity(sequenceNumber, opened.occurredAt());
        }

        Object[] row() {
            return new Object[]{opened.caseId(), opened.citizenPseudonym(), opened.citizenGroup().name(),
                    opened.ageBand().name(), opened.serviceArea().name(), opened.municipality(), change.status.name(),
                    change.holderUnit, utc(change.holderSince), utc(opened.occurredAt()), utc(change.lastActivity),
                    change.version, opened.sourceRef(), utc(change.resolvedAt)};
        }
    }

    /** The net effect of a case's events (after its opening) on its view: the last holder and status win. */
    private static final class ViewChange {
        private final String caseId;
        private long version;
        private Instant lastActivity;
        private String holderUnit;
        private Instant holderSince;
        private CaseStatus status;
        private Instant resolvedAt;

        ViewChange(String caseId) {
            this.caseId = caseId;
        }

        void holder(String unit, Instant since) {
            holderUnit = unit;
            holderSince = since;
        }

        void status(CaseStatus newStatus, Instant resolved) {
            status = newStatus;
            resolvedAt = resolved;
        }

        void activity(long sequenceNumber, Instant occurredAt) {
            version = sequenceNumber;
            lastActivity = lastActivity == null || occurredAt.isAfter(lastActivity) ? occurredAt : lastActivity;
        }
    }

    /** Erased citizens' sealed numbers are dropped too, not merely left without their key. */
    @EventHandler
    void on(CitizenErased erased) {
        // The batch's own openings must be in the tables the erasure looks at.
        if (CurrentUnitOfWork.isStarted()) {
            pending().flush();
        }
        // Only numbers whose key is gone: a case the citizen opened after the erasure has a live key of its own.
        List<String[]> sealed = jdbc.sql("""
                                         SELECT c.case_id, c.key_id FROM case_citizen c
                                         JOIN case_view v ON v.case_id = c.case_id
                                         WHERE v.citizen_pseudonym = ? AND c.sealed_cpr IS NOT NULL""")
                                    .param(erased.citizenPseudonym())
                                    .query((rs, row) -> new String[] {rs.getString("case_id"), rs.getString("key_id")})
                                    .list();
        Set<String> kept = vault.readable(sealed.stream().map(row -> row[1]).toList());
        sealed.stream()
              .filter(row -> !kept.contains(row[1]))
              .forEach(row -> jdbc.sql("UPDATE case_citizen SET sealed_cpr = NULL WHERE case_id = ?")
                                  .param(row[0]).update());
    }

    @ResetHandler
    void reset(ResetContext<?> reset) {
        if (!ReadModel.emptiedByRebuild(reset)) {
            reset();
        }
    }

    void reset() {
        tables().forEach(table -> jdbc.sql("DELETE FROM " + table.name()).update());
    }

    @Override
    public void empty() {
        tables().forEach(table -> jdbc.sql("TRUNCATE TABLE " + table.name()).update());
    }

    private Object[] historyRow(CaseEvent event, long sequenceNumber, Instant recordedAt, String recordedBy) {
        return new Object[]{event.caseId(), event.entryId(), sequenceNumber, event.getClass().getSimpleName(),
                utc(event.occurredAt()), utc(recordedAt), recordedBy, details(event), HistoryEntry.State.RECORDED.name(),
                event instanceof EntryCorrected correction ? correction.correctedEntryId() : null};
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

    /**
     * What the history shows of an event: everything but the ids it is filed under and personal data (the event's
     * caseId, entryId and citizen; a correction's replacement without its caseId). Written straight from the event
     * by a property filter: building a JSON tree and taking fields out of it cost 13% of the case-views thread catching
     * up after an import (docs/benchmarks.md, twentieth session). The text is the tree's (CaseHistoryDetailsTest).
     */
    String details(CaseEvent event) {
        try {
            return detailsWriter.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the history details of a " + event.getClass().getSimpleName(),
                                            e);
        }
    }

    /** Every case event (a correction's replacement too) is written through {@link HistoryDetailsFilter}. */
    @JsonFilter(DETAILS_FILTER)
    private interface HistoryDetails {
    }

    /** Leaves out the event's ids and personal data at the top, and the caseId of a correction's replacement. */
    private static final class HistoryDetailsFilter extends SimpleBeanPropertyFilter {

        @Override
        public void serializeAsField(Object pojo, JsonGenerator generator, SerializerProvider provider,
                                     PropertyWriter writer) throws Exception {
            if (!leftOut(generator.getOutputContext(), writer.getName())) {
                writer.serializeAsField(pojo, generator, provider);
            } else if (!generator.canOmitFields()) {
                writer.serializeAsOmittedField(pojo, generator, provider);
            }
        }

        private static boolean leftOut(JsonStreamContext object, String name) {
            JsonStreamContext parent = object.getParent();
            if (parent == null || parent.inRoot()) {
                return name.equals("caseId") || name.equals("entryId") || name.equals("citizen");
            }
            JsonStreamContext grandparent = parent.getParent();
            return name.equals("caseId") && "replacement".equals(parent.getCurrentName())
                    && (grandparent == null || grandparent.inRoot());
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
