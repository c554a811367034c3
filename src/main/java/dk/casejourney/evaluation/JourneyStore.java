package dk.casejourney.evaluation;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and writes the journey-figures tables (projections/schema/V10__journey_figures.sql, V31, V80, V130, V150,
 * V152).
 */
@Component
class JourneyStore {

    static final ZoneId CALENDAR_ZONE = ZoneId.of("Europe/Copenhagen");
    private static final String[] FIGURE_TABLES = {
            "journey_contact", "journey_handover", "journey_satisfaction", "journey_repeated_information",
            "journey_path", "journey_information", "journey_case"};

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final EventCodec codec = new EventCodec();

    JourneyStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** An event to keep, under its sequence number in the case. */
    record KeptEvent(RecordedEvent recorded, long sequenceNumber) {
    }

    /**
     * A case's kept events in sequence order, as journey_case_events holds them (V152).
     *
     * @param stored whether the case has a row there already (its events are then replaced, else inserted)
     */
    record Kept(String caseId, List<KeptEvent> events, boolean stored) {

        static Kept none(String caseId) {
            return new Kept(caseId, List.of(), false);
        }

        /** These events as they stand once written: the case then has its row. */
        Kept written() {
            return new Kept(caseId, events, true);
        }

        /** -1 if none is kept. */
        long lastSequence() {
            return events.isEmpty() ? -1 : events.get(events.size() - 1).sequenceNumber();
        }

        List<RecordedEvent> recorded() {
            List<RecordedEvent> recorded = new ArrayList<>(events.size());
            events.forEach(e -> recorded.add(e.recorded()));
            return recorded;
        }

        /**
         * These events followed by later ones. A case's events reach this read model in sequence order (one
         * segment each, and Axon's dead-letter queue holds back every later event of a case with a parked one), so
         * an event at or before one already kept is delivered twice: refused, as the table's key once refused it.
         */
        Kept then(List<KeptEvent> later) {
            List<KeptEvent> all = new ArrayList<>(events.size() + later.size());
            all.addAll(events);
            long last = lastSequence();
            for (KeptEvent e : later) {
                if (e.sequenceNumber() <= last) {
                    throw new IllegalStateException("case " + caseId + "'s event " + e.sequenceNumber()
                                                            + " comes after its event " + last + " was kept");
                }
                last = e.sequenceNumber();
                all.add(e);
            }
            return new Kept(caseId, all, stored);
        }
    }

    /**
     * Writes each case's kept events as one row (V152): a case's events are written in one statement rather than
     * one row each, which a receipt-log import's journey-figures thread spent a fifth of its time on.
     */
    void keep(List<Kept> cases) {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Kept kept : cases) {
            String events = codec.keep(kept.events());
            if (kept.stored()) {
                updates.add(new Object[]{events, kept.caseId()});
            } else {
                inserts.add(new Object[]{kept.caseId(), events});
            }
        }
        batch("INSERT INTO journey_case_events (case_id, events) VALUES (?, ?)", inserts);
        batch("UPDATE journey_case_events SET events = ? WHERE case_id = ?", updates);
    }

    /** The case's kept events; none if the case is unknown. */
    Kept kept(String caseId) {
        return jdbc.sql("SELECT events FROM journey_case_events WHERE case_id = ?")
                   .param(caseId)
                   .query(String.class)
                   .optional()
                   .map(json -> new Kept(caseId, codec.kept(json), true))
                   .orElseGet(() -> Kept.none(caseId));
    }

    /** The case's events in recording order; empty if the case is unknown. */
    List<RecordedEvent> events(String caseId) {
        return kept(caseId).recorded();
    }

    /** Replaces the case's figure rows with these. */
    void save(JourneyFigures figures) {
        save(List.of(figures), List.of(figures.caseId()));
    }

    /**
     * Replaces the cases' figure rows with these, one JDBC batch per table.
     *
     * @param known the cases that may already have figure rows (the others are new and need no delete)
     */
    void save(List<JourneyFigures> figures, List<String> known) {
        if (figures.isEmpty() && known.isEmpty()) {
            return;
        }
        long version = nextVersion(false);
        if (!known.isEmpty()) {
            // One statement per table for all the batch's cases rather than one per case and table: fewer
            // statements for the same rows (a JDBC batch of deletes is not rewritten into one statement).
            String[] ids = known.toArray(String[]::new);
            for (String table : FIGURE_TABLES) {
                template.update("DELETE FROM " + table + " WHERE case_id = ANY(?)", statement -> statement.setArray(
                        1, statement.getConnection().createArrayOf("VARCHAR", ids)));
            }
        }
        List<Object[]> cases = new ArrayList<>();
        List<Object[]> contacts = new ArrayList<>();
        List<Object[]> handovers = new ArrayList<>();
        List<Object[]> scores = new ArrayList<>();
        List<Object[]> repeated = new ArrayList<>();
        List<Object[]> paths = new ArrayList<>();
        List<Object[]> information = new ArrayList<>();
        for (JourneyFigures f : figures) {
            ZonedDateTime opened = f.openedAt().atZone(CALENDAR_ZONE);
            cases.add(new Object[]{
                    f.caseId(), f.status().name(), utc(f.asOf()), utc(f.openedAt()), utc(f.resolvedAt()),
                    f.citizenGroup().name(), f.ageBand().name(), f.serviceArea().name(), f.municipality(),
                    f.entryUnit(), f.firstChannel().name(), f.digitalFirst(),
                    year(opened) + (opened.getMonthValue() < 10 ? "-0" : "-") + opened.getMonthValue(),
                    year(opened) + "-Q" + (opened.getMonthValue() + 2) / 3,
                    year(opened),
                    ms(f.leadTime()), ms(f.leadTimeBusiness()), ms(f.handlingTime()), ms(f.waitingForCitizen()),
                    ms(f.waitingForCitizenBusiness()), ms(f.waitingForMunicipality()),
                    ms(f.waitingForMunicipalityBusiness()), ms(f.staffTime()), f.serviceSteps(), f.touchpoints(),
                    f.handovers(), f.returns(), f.repeatedInformationTotal(), f.firstContactResolution(),
                    f.avoidableContacts(), f.sourceRef(), f.events(), f.rework(),
                    codec.json(f.repeatedActivities()), f.citizenPseudonym(), version});
            for (int i = 0; i < f.contacts().size(); i++) {
                JourneyFigures.Contact c = f.contacts().get(i);
                contacts.add(new Object[]{f.caseId(), i, c.channel().name(), c.unit(), c.purpose().name(),
                        c.avoidable(), c.queueTime() == null ? null : ms(c.queueTime()), ms(c.duration())});
            }
            for (int i = 0; i < f.handoverDelays().size(); i++) {
                JourneyFigures.Handover h = f.handoverDelays().get(i);
                handovers.add(new Object[]{f.caseId(), i, h.fromUnit(), h.toUnit(),
                        h.delay() == null ? null : ms(h.delay()),
                        h.delayBusiness() == null ? null : ms(h.delayBusiness()), h.pending(), h.isReturn()});
            }
            for (int i = 0; i < f.satisfaction().size(); i++) {
                JourneyFigures.Satisfaction s = f.satisfaction().get(i);
                scores.add(new Object[]{f.caseId(), i, s.score(), s.channel().name()});
            }
            f.repeatedInformation().forEach((type, repeats) -> repeated.add(new Object[]{f.caseId(), type.name(),
                    repeats}));
            paths.add(pathRow(f.caseId(), "ACTIVITY", f.activityPath(), f.activityFlow()));
            paths.add(pathRow(f.caseId(), "UNIT", f.units(), f.unitFlow()));
            f.provisions().forEach((type, count) -> information.add(new Object[]{f.caseId(), type.name(), count}));
        }
        batch("""
              INSERT INTO journey_case (case_id, status, as_of, opened_at, resolved_at, citizen_group, age_band,
                  service_area, municipality, entry_unit, first_channel, digital_first, opened_month,
                  opened_quarter, opened_year, lead_ms, lead_business_ms, handling_ms, waiting_citizen_ms,
                  waiting_citizen_business_ms, waiting_municipality_ms, waiting_municipality_business_ms,
                  staff_ms, service_steps, touchpoints, handovers, returns, repeated_information,
                  first_contact_resolution, avoidable_contacts, source_ref, events, rework, repeated_activities,
                  citizen_pseudonym, figures_version)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                      ?, ?, ?, ?, ?, ?)""",
              cases);
        batch("INSERT INTO journey_contact (case_id, position, channel, unit, purpose, avoidable, queue_ms, duration_ms) "
                      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", contacts);
        batch("INSERT INTO journey_handover (case_id, position, from_unit, to_unit, delay_ms, delay_business_ms, "
                      + "pending, is_return) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", handovers);
        batch("INSERT INTO journey_satisfaction (case_id, position, score, channel) VALUES (?, ?, ?, ?)", scores);
        batch("INSERT INTO journey_repeated_information (case_id, information_type, repeats) VALUES (?, ?, ?)",
              repeated);
        batch("INSERT INTO journey_path (case_id, level, path_hash, first_node, last_node, length, path, gaps) "
                      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", paths);
        batch("INSERT INTO journey_information (case_id, information_type, provisions) VALUES (?, ?, ?)",
              information);
    }

    /**
     * A case's path at one level with the gaps of its transitions (V150): a transition is always the step from one
     * node of the path to the next, so it is kept as the time between them rather than as a row of its own.
     */
    private Object[] pathRow(String caseId, String level, List<String> path, List<JourneyFigures.Transition> flow) {
        if (flow.size() != Math.max(0, path.size() - 1)) {
            throw new IllegalStateException("case " + caseId + " has " + path.size() + " " + level + " nodes but "
                                                    + flow.size() + " transitions");
        }
        long[] gaps = new long[flow.size()];
        for (int i = 0; i < gaps.length; i++) {
            JourneyFigures.Transition t = flow.get(i);
            if (!t.from().equals(path.get(i)) || !t.to().equals(path.get(i + 1))) {
                throw new IllegalStateException("case " + caseId + "'s " + level + " transition " + i
                                                        + " is not a step of its path");
            }
            gaps[i] = ms(t.gap());
        }
        String json = codec.json(path);
        return new Object[]{caseId, level, sha256(json), path.isEmpty() ? null : path.get(0),
                path.isEmpty() ? null : path.get(path.size() - 1), path.size(), json, codec.json(gaps)};
    }

    /** Variants are grouped by this hash, so that the database never compares long paths. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private void batch(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            template.batchUpdate(sql, rows);
        }
    }

    void deleteAll() {
        nextVersion(true);
        everyTable("DELETE FROM ");
    }

    /**
     * Empties every table at once (see {@link dk.casejourney.common.ReadModel#empty()}). The new generation is
     * taken after the tables are empty: H2 commits each {@code TRUNCATE} on its own, and the evaluation's copy must
     * not read the old rows again under the new generation.
     */
    void truncateAll() {
        everyTable("TRUNCATE TABLE ");
        nextVersion(true);
    }

    private void everyTable(String statement) {
        for (String table : FIGURE_TABLES) {
            template.update(statement + table);
        }
        template.update(statement + "journey_case_events");
    }

    /**
     * The version of this transaction's writes (V130__journey_figures_version.sql): taken first, so that the row
     * stays locked, and versions are committed in order, until the transaction ends.
     */
    private long nextVersion(boolean newGeneration) {
        template.update("UPDATE journey_figures_version SET version = version + 1"
                                + (newGeneration ? ", generation = generation + 1" : "") + " WHERE id = 1");
        Long version = template.queryForObject("SELECT version FROM journey_figures_version WHERE id = 1", Long.class);
        if (version == null) {
            throw new IllegalStateException("journey_figures_version has no row: the schema is not migrated");
        }
        return version;
    }

    /**
     * The year as four digits ({@code %04d}), without a formatter: three such keys per case and batch (a replay's
     * journey-figures thread spent 2.8% of its time in {@code String.format} for them).
     */
    static String year(ZonedDateTime opened) {
        int year = opened.getYear();
        if (year < 0 || year > 9999) {
            return String.format("%04d", year);
        }
        String digits = Integer.toString(year);
        return "0000".substring(digits.length()) + digits;
    }

    private static long ms(Duration duration) {
        return duration.toMillis();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
