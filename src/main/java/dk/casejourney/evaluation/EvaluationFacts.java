package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.journey.api.Channel;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-memory copy of what the evaluation reads of the journey-figures tables, kept equal to them on every
 * instance: reading 100,000s of rows per evaluation cost seconds on both stores (half a second is the target, and
 * the dashboard asks on every filter change). Before each use the copy reads the tables' version
 * (V130__journey_figures_version.sql: versions commit in order) and reads back only the cases written since; a
 * reset of the tables (a new generation) makes it read everything again. Snapshots are immutable: an evaluation
 * works on one while the next is made.
 */
final class EvaluationFacts {

    static final Map<Dimension, String> COLUMNS = new EnumMap<>(Map.of(
            Dimension.CITIZEN_GROUP, "citizen_group", Dimension.AGE_BAND, "age_band",
            Dimension.SERVICE_AREA, "service_area", Dimension.CHANNEL, "first_channel",
            Dimension.UNIT, "entry_unit", Dimension.MUNICIPALITY, "municipality",
            Dimension.MONTH, "opened_month", Dimension.QUARTER, "opened_quarter", Dimension.YEAR, "opened_year"));
    private static final Dimension[] DIMENSIONS = Dimension.values();

    /**
     * Reads the child tables while the calling thread reads the cases: a few threads for the whole application
     * (daemons, so they never keep it from stopping), on connections of their own ({@link EvaluationReaders}).
     */
    private static final ExecutorService READERS = Executors.newFixedThreadPool(EvaluationReaders.READER_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "evaluation-reader");
        thread.setDaemon(true);
        return thread;
    });

    private final NamedParameterJdbcTemplate jdbc;
    /** Units, groups and information types repeat over all cases: one String each. */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Map<List<String>, List<String>> pairs = new ConcurrentHashMap<>();
    /** A bit per information type, in the order met (there are a dozen). */
    private final Map<String, Integer> typeBits = new ConcurrentHashMap<>();
    private volatile Snapshot current;

    EvaluationFacts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The cases as of the tables' latest committed version. */
    Snapshot current() {
        long[] stamp = stamp();
        Snapshot known = current;
        if (known != null && known.version == stamp[0] && known.generation == stamp[1]) {
            return known;
        }
        synchronized (this) {
            known = current;
            if (known != null && known.version >= stamp[0] && known.generation == stamp[1]) {
                return known; // another thread brought it up to date meanwhile
            }
            boolean everything = known == null || known.generation != stamp[1];
            Map<String, CaseFacts> read = read(everything ? null : known.version);
            Map<String, CaseFacts> cases;
            if (everything) {
                cases = read;
            } else {
                cases = new HashMap<>(known.cases);
                cases.putAll(read);
            }
            current = new Snapshot(stamp[0], stamp[1], Collections.unmodifiableMap(cases), sharedCitizens(cases));
            return current;
        }
    }

    /** Version and generation, read before the rows: rows newer than the stamp are read again next time. */
    /** The citizens of more than one case, numbered from 0: only theirs need adding up across cases. */
    private static Map<String, Integer> sharedCitizens(Map<String, CaseFacts> cases) {
        Set<String> seen = new HashSet<>(cases.size() * 2);
        Map<String, Integer> shared = new HashMap<>();
        for (CaseFacts facts : cases.values()) {
            if (!seen.add(facts.citizen)) {
                shared.putIfAbsent(facts.citizen, shared.size());
            }
        }
        return Collections.unmodifiableMap(shared);
    }

    private long[] stamp() {
        long[] stamp = jdbc.queryForObject("SELECT version, generation FROM journey_figures_version WHERE id = 1",
                                           Map.of(), (rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)});
        if (stamp == null) {
            throw new IllegalStateException("journey_figures_version has no row: the schema is not migrated");
        }
        return stamp;
    }

    /** The cases written after {@code since} with their rows, or every case when {@code since} is null. */
    private Map<String, CaseFacts> read(Long since) {
        Map<String, Object> params = new HashMap<>();
        String where = "";
        String join = "";
        if (since != null) {
            params.put("since", since);
            where = " WHERE c.figures_version > :since";
            join = " JOIN journey_case c ON c.case_id = x.case_id" + where;
        }
        CompletableFuture<List<Object[]>> contacts = rows(
                "SELECT x.case_id, x.channel, x.avoidable, x.queue_ms, x.unit FROM journey_contact x" + join, params,
                rs -> {
                    long queueMs = rs.getLong(4);
                    Long queued = rs.wasNull() ? null : queueMs; // wasNull: of the column read last
                    return new Object[]{rs.getString(1), new Contact(Channel.valueOf(rs.getString(2)), rs.getBoolean(3),
                                                                     queued, name(rs.getString(5)))};
                });
        CompletableFuture<List<Object[]>> handovers = rows(
                "SELECT x.case_id, x.from_unit, x.to_unit, x.delay_ms, x.pending FROM journey_handover x" + join,
                params, rs -> {
                    long delay = rs.getLong(4);
                    boolean acted = !rs.wasNull() && !rs.getBoolean(5);
                    List<String> pair = List.of(name(rs.getString(2)), name(rs.getString(3)));
                    return new Object[]{rs.getString(1), new Handover(pairs.computeIfAbsent(pair, p -> p),
                                                                      acted ? delay : null)};
                });
        CompletableFuture<List<Object[]>> provisions = rows(
                "SELECT x.case_id, x.information_type, x.provisions FROM journey_information x" + join, params,
                rs -> new Object[]{rs.getString(1), new Provision(typeBit(rs.getString(2)), rs.getInt(3))});
        CompletableFuture<List<Object[]>> scores = rows(
                "SELECT x.case_id, x.score, x.channel FROM journey_satisfaction x" + join, params,
                rs -> new Object[]{rs.getString(1), new Score(rs.getInt(2), Channel.valueOf(rs.getString(3)))});
        Map<String, CaseFacts> cases = new HashMap<>();
        StringBuilder columns = new StringBuilder();
        for (Dimension dimension : DIMENSIONS) {
            columns.append("c.").append(COLUMNS.get(dimension)).append(", ");
        }
        int width = DIMENSIONS.length;
        try {
            jdbc.query("SELECT " + columns + "c.case_id, c.opened_at, c.status, c.service_steps, c.touchpoints, "
                               + "c.handovers, c.returns, c.lead_ms, c.lead_business_ms, c.handling_ms, "
                               + "c.waiting_citizen_ms, c.waiting_citizen_business_ms, c.waiting_municipality_ms, "
                               + "c.waiting_municipality_business_ms, c.staff_ms, c.repeated_information, "
                               + "c.first_contact_resolution, c.digital_first, c.citizen_pseudonym FROM journey_case c"
                               + where, params, rs -> {
                String[] dimensions = new String[width];
                for (int i = 0; i < width; i++) {
                    dimensions[i] = name(rs.getString(i + 1));
                }
                int i = width + 1;
                String caseId = rs.getString(i++);
                long openedAt = rs.getObject(i++, OffsetDateTime.class).toInstant().toEpochMilli();
                boolean open = rs.getString(i++).equals("OPEN");
                int steps = rs.getInt(i++);
                int touchpoints = rs.getInt(i++);
                int handoverCount = rs.getInt(i++);
                int returns = rs.getInt(i++);
                long[] durations = new long[7];
                for (int d = 0; d < durations.length; d++) {
                    durations[d] = rs.getLong(i++);
                }
                long staffMs = rs.getLong(i++);
                boolean repeated = rs.getInt(i++) > 0;
                boolean fcr = rs.getBoolean(i++);
                boolean digitalFirst = rs.getBoolean(i++);
                // Cases computed before V80 have no pseudonym: each stands for a citizen of its own.
                String citizen = rs.getString(i);
                cases.put(caseId, new CaseFacts(dimensions, openedAt, open, steps, touchpoints, handoverCount, returns,
                                                open ? null : durations, staffMs, repeated, fcr, digitalFirst,
                                                citizen == null ? "case:" + caseId : citizen));
            });
            for (Object[] row : contacts.join()) {
                CaseFacts facts = cases.get((String) row[0]);
                if (facts != null) { // a case committed after its case row was read: read next time
                    facts.contacts.add((Contact) row[1]);
                }
            }
            for (Object[] row : handovers.join()) {
                CaseFacts facts = cases.get((String) row[0]);
                if (facts != null) {
                    facts.handoverRows.add((Handover) row[1]);
                }
            }
            for (Object[] row : provisions.join()) {
                CaseFacts facts = cases.get((String) row[0]);
                if (facts != null) {
                    facts.provisions.add((Provision) row[1]);
                }
            }
            for (Object[] row : scores.join()) {
                CaseFacts facts = cases.get((String) row[0]);
                if (facts != null) {
                    facts.scores.add((Score) row[1]);
                }
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            // A failed read of the cases leaves the others nothing to be joined to.
            List.of(contacts, handovers, provisions, scores).forEach(read -> read.cancel(false));
        }
        cases.values().forEach(CaseFacts::trim);
        return cases;
    }

    private int typeBit(String informationType) {
        int bit = typeBits.computeIfAbsent(informationType, type -> typeBits.size());
        if (bit >= Long.SIZE) {
            throw new IllegalStateException("more than 64 information types in journey_information");
        }
        return bit;
    }

    private String name(String value) {
        return value == null ? null : names.computeIfAbsent(value, v -> v);
    }

    private interface RowReader {
        Object[] read(ResultSet rs) throws SQLException;
    }

    /** The rows of one statement, read on a thread of the evaluation's own pool into a list. */
    private CompletableFuture<List<Object[]>> rows(String sql, Map<String, Object> params, RowReader reader) {
        return CompletableFuture.supplyAsync(() -> {
            List<Object[]> rows = new ArrayList<>();
            jdbc.query(sql, params, rs -> {
                rows.add(reader.read(rs));
            });
            return rows;
        }, READERS);
    }

    /** The cases at one version of the tables, by case id; never changed once made. */
    record Snapshot(long version, long generation, Map<String, CaseFacts> cases, Map<String, Integer> sharedCitizens) {
    }

    /**
     * One case as the evaluation needs it. {@code durations} (null while the case is open): lead, lead business,
     * handling, waiting for the citizen (calendar, business), waiting for the municipality (calendar, business).
     */
    static final class CaseFacts {
        final String[] dimensions;
        final long openedAt;
        final boolean open;
        final int steps;
        final int touchpoints;
        final int handovers;
        final int returns;
        final long[] durations;
        final long staffMs;
        final boolean repeated;
        final boolean firstContactResolution;
        final boolean digitalFirst;
        final String citizen;
        final ArrayList<Contact> contacts = new ArrayList<>(4);
        final ArrayList<Handover> handoverRows = new ArrayList<>(2);
        private ArrayList<Provision> provisions = new ArrayList<>(2);
        /** Information provided in the case: provisions in all, and the types provided (a bit each). */
        int provided;
        long typesProvided;
        final ArrayList<Score> scores = new ArrayList<>(1);

        CaseFacts(String[] dimensions, long openedAt, boolean open, int steps, int touchpoints, int handovers,
                  int returns, long[] durations, long staffMs, boolean repeated, boolean firstContactResolution,
                  boolean digitalFirst, String citizen) {
            this.dimensions = dimensions;
            this.openedAt = openedAt;
            this.open = open;
            this.steps = steps;
            this.touchpoints = touchpoints;
            this.handovers = handovers;
            this.returns = returns;
            this.durations = durations;
            this.staffMs = staffMs;
            this.repeated = repeated;
            this.firstContactResolution = firstContactResolution;
            this.digitalFirst = digitalFirst;
            this.citizen = citizen;
        }

        /** The value of a dimension (case-level column as stored). */
        String value(Dimension dimension) {
            return dimensions[dimension.ordinal()];
        }

        private void trim() {
            contacts.trimToSize();
            handoverRows.trimToSize();
            scores.trimToSize();
            for (Provision provision : provisions) {
                provided += provision.provisions();
                typesProvided |= 1L << provision.typeBit();
            }
            provisions = null;
        }
    }

    /** A contact: its queue time only when one was recorded (else null). */
    record Contact(Channel channel, boolean avoidable, Long queueMs, String unit) {
    }

    /** A handover between two units (from, to); its delay only when the receiving unit acted on it (else null). */
    record Handover(List<String> units, Long delayMs) {
    }

    private record Provision(int typeBit, int provisions) {
    }

    record Score(int score, Channel channel) {
    }
}
