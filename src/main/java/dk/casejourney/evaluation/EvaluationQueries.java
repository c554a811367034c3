package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.CaseFiguresList;
import dk.casejourney.evaluation.api.Comparison;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.Distribution;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.Evaluations;
import dk.casejourney.evaluation.api.FindCaseFiguresQuery;
import dk.casejourney.evaluation.api.FindComparisonQuery;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.evaluation.api.FindEvaluationsQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.FindVariantsQuery;
import dk.casejourney.evaluation.api.ProcessMap;
import dk.casejourney.evaluation.api.Variants;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The evaluation, read from the journey-figures tables: one pass over the matching cases and their
 * contacts, handovers and scores, aggregated per group in memory (percentiles need the values, and
 * nearest-rank must be exactly the same on H2 and PostgreSQL: H2's PERCENTILE_DISC takes the value at
 * rank floor(p x (n - 1)) + 1, not ceil(p x n), so p90 cannot be left to the database).
 */
@Component
class EvaluationQueries {

    static final String PERCENTILE_METHOD = "nearest-rank: value at rank ceil(p x n) of the sorted values";
    private static final Map<Dimension, String> COLUMNS = new EnumMap<>(Map.of(
            Dimension.CITIZEN_GROUP, "citizen_group", Dimension.AGE_BAND, "age_band",
            Dimension.SERVICE_AREA, "service_area", Dimension.CHANNEL, "first_channel",
            Dimension.UNIT, "entry_unit", Dimension.MUNICIPALITY, "municipality",
            Dimension.MONTH, "opened_month", Dimension.QUARTER, "opened_quarter", Dimension.YEAR, "opened_year"));

    /**
     * Reads the child tables of an evaluation while the request's own thread reads the cases: a few threads for
     * the whole application (daemons, so they never keep it from stopping).
     */
    private static final ExecutorService READERS = Executors.newFixedThreadPool(EvaluationReaders.READER_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "evaluation-reader");
        thread.setDaemon(true);
        return thread;
    });

    private final NamedParameterJdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate readers;
    private final Clock clock;
    private final EventCodec codec = new EventCodec();

    EvaluationQueries(NamedParameterJdbcTemplate jdbc, EvaluationReaders readers, Clock clock) {
        this.jdbc = jdbc;
        this.readers = readers.jdbc();
        this.clock = clock;
    }

    @QueryHandler
    EvaluationReport handle(FindEvaluationQuery query) {
        return evaluate(query.criteria());
    }

    @QueryHandler
    Evaluations handle(FindEvaluationsQuery query) {
        return new Evaluations(evaluate(query.criteria(), query.groupings()));
    }

    @QueryHandler
    Comparison handle(FindComparisonQuery query) {
        EvaluationCriteria criteria = query.criteria();
        EvaluationReport before = evaluate(criteria.between(criteria.from(), query.changeDate().minusDays(1)));
        EvaluationReport after = evaluate(criteria.between(query.changeDate(), criteria.to()));
        Map<Map<String, String>, Map<String, Object>> beforeRows = new HashMap<>();
        before.groups().forEach(group -> beforeRows.put(group.key(), EvaluationTable.row(group)));
        List<Comparison.Difference> differences = new ArrayList<>();
        for (EvaluationReport.Group group : after.groups()) {
            Map<String, Object> earlier = beforeRows.get(group.key());
            if (earlier == null) {
                continue;
            }
            Map<String, Double> diff = new LinkedHashMap<>();
            EvaluationTable.row(group).forEach((column, value) -> {
                if (value instanceof Number now && earlier.get(column) instanceof Number then) {
                    diff.put(column, now.doubleValue() - then.doubleValue());
                }
            });
            differences.add(new Comparison.Difference(group.key(), diff));
        }
        return new Comparison(query.changeDate(), before, after, differences);
    }

    @QueryHandler
    ProcessMap handle(FindProcessMapQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(query.criteria(), params);
        params.put("level", query.level().name());
        // Nodes from each case's path (frequency, cases, start and end); edges from the directly-follows rows, read
        // case by case so that the cases of an edge are counted without keeping their ids. Percentiles in memory:
        // nearest-rank exactly as everywhere else (see the class comment).
        Map<String, long[]> nodes = new HashMap<>();
        jdbc.query("SELECT p.path FROM journey_path p JOIN journey_case c ON c.case_id = p.case_id" + where
                           + " AND p.level = :level", params, rs -> {
            List<String> path = codec.path(rs.getString(1));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < path.size(); i++) {
                long[] node = nodes.computeIfAbsent(path.get(i), k -> new long[4]);
                node[0]++;
                node[1] += seen.add(path.get(i)) ? 1 : 0;
                node[2] += i == 0 ? 1 : 0;
                node[3] += i == path.size() - 1 ? 1 : 0;
            }
        });
        Map<List<String>, EdgeAccumulator> edges = new HashMap<>();
        jdbc.query("SELECT f.case_id, f.from_node, f.to_node, f.gap_ms FROM journey_flow f JOIN journey_case c "
                           + "ON c.case_id = f.case_id" + where + " AND f.level = :level ORDER BY f.case_id, f.position",
                   params, rs -> {
                       edges.computeIfAbsent(List.of(rs.getString(2), rs.getString(3)), k -> new EdgeAccumulator())
                            .add(rs.getString(1), rs.getLong(4));
                   });
        Long cases = jdbc.queryForObject("SELECT COUNT(*) FROM journey_case c" + where, params, Long.class);
        List<ProcessMap.Node> nodeList = new ArrayList<>();
        nodes.forEach((name, n) -> nodeList.add(new ProcessMap.Node(name, n[0], n[1], n[2], n[3])));
        nodeList.sort(Comparator.comparingLong(ProcessMap.Node::frequency).reversed()
                                .thenComparing(ProcessMap.Node::name));
        long min = Math.max(1, query.minTransitions());
        List<ProcessMap.Edge> edgeList = new ArrayList<>();
        long hidden = 0;
        for (Map.Entry<List<String>, EdgeAccumulator> entry : edges.entrySet()) {
            EdgeAccumulator edge = entry.getValue();
            if (edge.gaps.size() < min) {
                hidden++;
            } else {
                edgeList.add(new ProcessMap.Edge(entry.getKey().get(0), entry.getKey().get(1), edge.gaps.size(),
                                                 edge.cases, edge.gaps.distribution()));
            }
        }
        edgeList.sort(Comparator.comparingLong(ProcessMap.Edge::transitions).reversed()
                                .thenComparing(ProcessMap.Edge::from).thenComparing(ProcessMap.Edge::to));
        return new ProcessMap(query.level(), cases == null ? 0 : cases, min, hidden, PERCENTILE_METHOD,
                              "milliseconds", nodeList, edgeList);
    }

    @QueryHandler
    Variants handle(FindVariantsQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(query.criteria(), params);
        params.put("level", query.level().name());
        Map<String, VariantAccumulator> variants = new HashMap<>();
        long[] cases = new long[1];
        jdbc.query("SELECT p.path_hash, p.path, c.status, c.lead_ms FROM journey_path p JOIN journey_case c "
                           + "ON c.case_id = p.case_id" + where + " AND p.level = :level", params, rs -> {
            cases[0]++;
            VariantAccumulator variant = variants.computeIfAbsent(rs.getString(1), k -> new VariantAccumulator());
            if (variant.path == null) {
                variant.path = codec.path(rs.getString(2));
            }
            variant.cases++;
            if (!"OPEN".equals(rs.getString(3))) {
                variant.lead.add(rs.getLong(4));
            }
        });
        List<VariantAccumulator> sorted = new ArrayList<>(variants.values());
        sorted.sort(Comparator.comparingLong((VariantAccumulator v) -> v.cases).reversed()
                              .thenComparing(v -> v.path, EvaluationQueries::comparePaths));
        List<Variants.Variant> paths = new ArrayList<>();
        for (VariantAccumulator variant : sorted.subList(0, Math.min(sorted.size(), Math.max(0, query.limit())))) {
            paths.add(new Variants.Variant(variant.path, variant.cases, (double) variant.cases / cases[0],
                                           variant.lead.distribution()));
        }
        return new Variants(query.level(), cases[0], variants.size(), PERCENTILE_METHOD, paths);
    }

    @QueryHandler
    CaseFiguresList handle(FindCaseFiguresQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(query.criteria(), params);
        return new CaseFiguresList(jdbc.query(
                "SELECT c.case_id, c.source_ref, c.status, c.opened_at, c.events, c.lead_ms, c.service_steps, "
                        + "c.handovers, c.returns, c.rework, c.repeated_activities FROM journey_case c" + where
                        + " ORDER BY c.opened_at, c.case_id",
                params, (rs, n) -> new CaseFiguresList.CaseFigures(
                        rs.getString("case_id"), rs.getString("source_ref"), CaseStatus.valueOf(rs.getString("status")),
                        rs.getObject("opened_at", OffsetDateTime.class).toInstant(), rs.getInt("events"),
                        rs.getLong("lead_ms"), rs.getInt("service_steps"), rs.getInt("handovers"), rs.getInt("returns"),
                        rs.getInt("rework"), codec.counts(rs.getString("repeated_activities")))));
    }

    EvaluationReport evaluate(EvaluationCriteria criteria) {
        return evaluate(criteria, List.of(criteria.groupBy())).get(0);
    }

    /**
     * The evaluation of the criteria's cases once per grouping (the criteria's own groupBy is not used), from one
     * read of the cases and their rows: each report equals the one {@link #evaluate(EvaluationCriteria)} gives
     * for that grouping.
     */
    List<EvaluationReport> evaluate(EvaluationCriteria criteria, List<List<Dimension>> groupings) {
        Map<String, Object> params = new HashMap<>();
        String where = where(criteria, params);
        boolean mostCases = coversMostCases(criteria);
        // Most cases match: sequential reads of the tables, the period checked and the child rows joined to their
        // cases here, beat looking each matching row up through an index (H2 joins by nested index lookups only).
        // The child tables are read on other threads while this one reads the cases (connections of their own;
        // each statement sees the latest commit, as the statements of one request always did).
        String join = mostCases ? "" : " JOIN journey_case c ON c.case_id = x.case_id" + where;
        CompletableFuture<List<Object[]>> contacts = rows(
                "SELECT x.case_id, x.channel, x.avoidable, x.queue_ms, x.unit FROM journey_contact x" + join, params,
                rs -> {
                    long queueMs = rs.getLong(4);
                    Long queued = rs.wasNull() ? null : queueMs; // wasNull: of the column read last
                    return new Object[]{rs.getString(1), Channel.valueOf(rs.getString(2)), rs.getBoolean(3), queued,
                                        rs.getString(5)};
                });
        CompletableFuture<List<Object[]>> handovers = rows(
                "SELECT x.case_id, x.from_unit, x.to_unit, x.delay_ms, x.pending FROM journey_handover x" + join,
                params, rs -> {
                    long delay = rs.getLong(4);
                    boolean acted = !rs.wasNull() && !rs.getBoolean(5);
                    return new Object[]{rs.getString(1), rs.getString(2), rs.getString(3), acted ? delay : null};
                });
        CompletableFuture<List<Object[]>> provisions = rows(
                "SELECT x.case_id, x.information_type, x.provisions FROM journey_information x" + join, params,
                rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getInt(3)});
        CompletableFuture<List<Object[]>> scores = rows(
                "SELECT x.case_id, x.score, x.channel FROM journey_satisfaction x" + join, params,
                rs -> new Object[]{rs.getString(1), rs.getInt(2), Channel.valueOf(rs.getString(3))});

        List<Dimension> dimensions = new ArrayList<>();
        groupings.forEach(grouping -> grouping.stream().filter(d -> !dimensions.contains(d)).forEach(dimensions::add));
        int[][] keyColumns = new int[groupings.size()][];
        for (int g = 0; g < groupings.size(); g++) {
            keyColumns[g] = groupings.get(g).stream().mapToInt(dimensions::indexOf).toArray();
        }
        List<Map<List<String>, GroupAccumulator>> groups = new ArrayList<>();
        groupings.forEach(grouping -> groups.add(new HashMap<>()));
        Map<String, CaseGroups> cases = new HashMap<>();
        int width = dimensions.size();
        StringBuilder keys = new StringBuilder();
        dimensions.forEach(dimension -> keys.append("c.").append(COLUMNS.get(dimension)).append(", "));
        Instant from = criteria.from() == null ? Instant.MIN : startOf(criteria.from()).toInstant();
        Instant to = criteria.to() == null ? Instant.MAX : startOf(criteria.to().plusDays(1)).toInstant();
        String[] values = new String[width];
        try {
            jdbc.query("SELECT " + keys + "c.status, c.service_steps, c.touchpoints, c.handovers, c.lead_ms, "
                               + "c.lead_business_ms, c.handling_ms, c.waiting_citizen_ms, c.waiting_citizen_business_ms, "
                               + "c.waiting_municipality_ms, c.waiting_municipality_business_ms, c.staff_ms, "
                               + "c.repeated_information, c.first_contact_resolution, c.digital_first, c.case_id, "
                               + "c.opened_at, c.returns, c.citizen_pseudonym FROM journey_case c"
                               + (mostCases ? "" : where), params,
                       rs -> {
                           if (mostCases) {
                               Instant opened = rs.getObject(width + 17, OffsetDateTime.class).toInstant();
                               if (opened.isBefore(from) || !opened.isBefore(to)) {
                                   return;
                               }
                           }
                           for (int i = 0; i < width; i++) {
                               values[i] = rs.getString(i + 1);
                           }
                           String caseId = rs.getString(width + 16);
                           // Cases computed before V80 have no pseudonym: each stands for a citizen of its own.
                           String citizen = rs.getString(width + 19);
                           CaseGroups entry = new CaseGroups(citizen == null ? "case:" + caseId : citizen,
                                                             new GroupAccumulator[groupings.size()]);
                           cases.put(caseId, entry);
                           for (int g = 0; g < keyColumns.length; g++) {
                               GroupAccumulator group = group(groups.get(g), values, keyColumns[g]);
                               entry.groups[g] = group;
                               group.addCase(rs, width);
                               group.addCitizen(entry.citizen);
                           }
                       });
            // Repeated information across a citizen's cases: the provisions per case and type, added up per citizen.
            for (Object[] row : provisions.join()) {
                CaseGroups entry = cases.get((String) row[0]);
                if (entry != null) {
                    for (GroupAccumulator group : entry.groups) {
                        group.addProvisions(entry.citizen, (String) row[1], (Integer) row[2]);
                    }
                }
            }
            for (Object[] row : contacts.join()) {
                CaseGroups entry = cases.get((String) row[0]);
                if (entry != null) {
                    for (GroupAccumulator group : entry.groups) {
                        group.addContact((Channel) row[1], (Boolean) row[2], (Long) row[3], (String) row[4]);
                    }
                }
            }
            for (Object[] row : handovers.join()) {
                CaseGroups entry = cases.get((String) row[0]);
                if (entry != null) {
                    for (GroupAccumulator group : entry.groups) {
                        group.addHandover((String) row[1], (String) row[2], (Long) row[3]);
                    }
                }
            }
            for (Object[] row : scores.join()) {
                CaseGroups entry = cases.get((String) row[0]);
                if (entry != null) {
                    for (GroupAccumulator group : entry.groups) {
                        group.addScore((Integer) row[1], (Channel) row[2]);
                    }
                }
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            // A failed read of the cases leaves the others nothing to be joined to.
            List.of(contacts, handovers, provisions, scores).forEach(read -> read.cancel(false));
        }
        Map<String, String> filters = new LinkedHashMap<>();
        criteria.filters().forEach((dimension, value) -> filters.put(dimension.parameter(), value));
        Instant asOf = clock.instant();
        List<EvaluationReport> reports = new ArrayList<>();
        for (int g = 0; g < groupings.size(); g++) {
            List<String> groupNames = groupings.get(g).stream().map(Dimension::parameter).toList();
            List<Map.Entry<List<String>, GroupAccumulator>> sorted = new ArrayList<>(groups.get(g).entrySet());
            sorted.sort(Map.Entry.comparingByKey(EvaluationQueries::compareKeys));
            List<EvaluationReport.Group> result = new ArrayList<>();
            for (Map.Entry<List<String>, GroupAccumulator> entry : sorted) {
                Map<String, String> named = new LinkedHashMap<>();
                for (int i = 0; i < groupNames.size(); i++) {
                    named.put(groupNames.get(i), entry.getKey().get(i));
                }
                result.add(entry.getValue().result(named));
            }
            reports.add(new EvaluationReport(criteria.from(), criteria.to(), filters, groupNames, PERCENTILE_METHOD,
                                             "milliseconds (staff time in minutes)", asOf, result));
        }
        return reports;
    }

    /** A matching case: its citizen (pseudonym) and its group in each grouping. */
    private record CaseGroups(String citizen, GroupAccumulator[] groups) {
    }

    private interface RowReader {
        Object[] read(ResultSet rs) throws SQLException;
    }

    /** The rows of one statement, read on a thread of the evaluation's own pool into a list. */
    private CompletableFuture<List<Object[]>> rows(String sql, Map<String, Object> params, RowReader reader) {
        return CompletableFuture.supplyAsync(() -> {
            List<Object[]> rows = new ArrayList<>();
            readers.query(sql, params, rs -> {
                rows.add(reader.read(rs));
            });
            return rows;
        }, READERS);
    }

    /**
     * Whether the criteria reach most cases: no filter, and the period covers at least half the span from the
     * first to the last case opened (both read from the index on opened_at, whatever the table's size).
     */
    private boolean coversMostCases(EvaluationCriteria criteria) {
        if (!criteria.filters().isEmpty()) {
            return false;
        }
        OffsetDateTime[] span = jdbc.queryForObject(
                "SELECT MIN(opened_at), MAX(opened_at) FROM journey_case", Map.of(),
                (rs, n) -> new OffsetDateTime[]{rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)});
        if (span == null || span[0] == null) {
            return false;
        }
        long first = span[0].toInstant().toEpochMilli();
        long last = span[1].toInstant().toEpochMilli();
        long from = criteria.from() == null ? first
                : Math.max(first, startOf(criteria.from()).toInstant().toEpochMilli());
        long to = criteria.to() == null ? last
                : Math.min(last, startOf(criteria.to().plusDays(1)).toInstant().toEpochMilli());
        return 2 * (to - from) >= last - first;
    }

    private static GroupAccumulator group(Map<List<String>, GroupAccumulator> groups, String[] values, int[] columns) {
        String[] key = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            key[i] = values[columns[i]];
        }
        return groups.computeIfAbsent(Arrays.asList(key), k -> new GroupAccumulator());
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * Opened within the period (Copenhagen days, both included; a bound not given is no bound) and matching every
     * filter.
     */
    private static String where(EvaluationCriteria criteria, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (criteria.from() != null) {
            where.append(" AND c.opened_at >= :from");
            params.put("from", startOf(criteria.from()));
        }
        if (criteria.to() != null) {
            where.append(" AND c.opened_at < :to");
            params.put("to", startOf(criteria.to().plusDays(1)));
        }
        criteria.filters().forEach((dimension, value) -> {
            String column = COLUMNS.get(dimension);
            where.append(" AND c.").append(column).append(" = :").append(column);
            params.put(column, value);
        });
        return where.toString();
    }

    private static OffsetDateTime startOf(java.time.LocalDate day) {
        return day.atStartOfDay(JourneyStore.CALENDAR_ZONE).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** One edge of the process map: its transitions' times and the cases that took it (rows come case by case). */
    private static final class EdgeAccumulator {
        private final Values gaps = new Values();
        private long cases;
        private String lastCase;

        void add(String caseId, long gapMs) {
            gaps.add(gapMs);
            if (!caseId.equals(lastCase)) {
                cases++;
                lastCase = caseId;
            }
        }
    }

    /** Node by node; a path that is the beginning of another comes first. */
    private static int comparePaths(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static final class VariantAccumulator {
        private List<String> path;
        private long cases;
        private final Values lead = new Values();
    }

    /** Everything one group needs, filled row by row. */
    private static final class GroupAccumulator {
        private long cases;
        private long open;
        private long fcr;
        private long repeated;
        private long digitalFirst;
        private long contacts;
        private long avoidable;
        private final Values steps = new Values();
        private final Values touchpoints = new Values();
        private final Values handovers = new Values();
        private final Values lead = new Values();
        private final Values leadBusiness = new Values();
        private final Values handling = new Values();
        private final Values waitingCitizen = new Values();
        private final Values waitingCitizenBusiness = new Values();
        private final Values waitingMunicipality = new Values();
        private final Values waitingMunicipalityBusiness = new Values();
        private final Values staffMinutes = new Values();
        private final Values queue = new Values();
        private final Map<Channel, Long> channels = new EnumMap<>(Channel.class);
        private final Map<Integer, Long> scores = new TreeMap<>();
        private final Map<Channel, Map<Integer, Long>> scoresByChannel = new EnumMap<>(Channel.class);
        private final Values returns = new Values();
        private final Map<Channel, Values> queueByChannel = new EnumMap<>(Channel.class);
        private final Map<String, Values> queueByUnit = new TreeMap<>();
        private long withReturns;
        private final Map<String, Map<String, Integer>> citizens = new HashMap<>();
        // Hashed while rows come (a sorted map compared the units of every handover row), sorted once in result().
        private final Map<List<String>, long[]> pairCounts = new HashMap<>();
        private final Map<List<String>, Values> pairDelays = new HashMap<>();

        void addCase(ResultSet rs, int width) throws SQLException {
            int i = width + 1;
            cases++;
            boolean isOpen = rs.getString(i++).equals("OPEN");
            steps.add(rs.getInt(i++));
            touchpoints.add(rs.getInt(i++));
            handovers.add(rs.getInt(i++));
            if (isOpen) {
                open++;
                i += 7;
            } else {
                lead.add(rs.getLong(i++));
                leadBusiness.add(rs.getLong(i++));
                handling.add(rs.getLong(i++));
                waitingCitizen.add(rs.getLong(i++));
                waitingCitizenBusiness.add(rs.getLong(i++));
                waitingMunicipality.add(rs.getLong(i++));
                waitingMunicipalityBusiness.add(rs.getLong(i++));
            }
            staffMinutes.add(rs.getLong(i++) / 60_000.0);
            repeated += rs.getInt(i++) > 0 ? 1 : 0;
            fcr += rs.getBoolean(i++) ? 1 : 0;
            digitalFirst += rs.getBoolean(i) ? 1 : 0;
            int caseReturns = rs.getInt(width + 18);
            returns.add(caseReturns);
            withReturns += caseReturns > 0 ? 1 : 0;
        }

        void addCitizen(String pseudonym) {
            // One shared empty map until the citizen gives information: most citizens never need their own.
            citizens.putIfAbsent(pseudonym, Map.of());
        }

        void addProvisions(String pseudonym, String informationType, int provisions) {
            Map<String, Integer> given = citizens.get(pseudonym);
            if (given == null || given.isEmpty()) {
                given = new HashMap<>();
                citizens.put(pseudonym, given);
            }
            given.merge(informationType, provisions, Integer::sum);
        }

        void addContact(Channel channel, boolean isAvoidable, Long queueMs, String unit) {
            contacts++;
            channels.merge(channel, 1L, Long::sum);
            avoidable += isAvoidable ? 1 : 0;
            if (queueMs != null) {
                queue.add(queueMs);
                queueByChannel.computeIfAbsent(channel, k -> new Values()).add(queueMs);
                queueByUnit.computeIfAbsent(unit, k -> new Values()).add(queueMs);
            }
        }

        /** A handover between two units; its delay only when the receiving unit acted on it (else null). */
        void addHandover(String fromUnit, String toUnit, Long delay) {
            List<String> pair = List.of(fromUnit, toUnit);
            pairCounts.computeIfAbsent(pair, k -> new long[1])[0]++;
            if (delay != null) {
                pairDelays.computeIfAbsent(pair, k -> new Values()).add(delay);
            }
        }

        void addScore(int score, Channel channel) {
            scores.merge(score, 1L, Long::sum);
            scoresByChannel.computeIfAbsent(channel, k -> new TreeMap<>()).merge(score, 1L, Long::sum);
        }

        private static EvaluationReport.Satisfaction satisfaction(Map<Integer, Long> scores) {
            long scored = scores.values().stream().mapToLong(Long::longValue).sum();
            double scoreSum = 0;
            for (Map.Entry<Integer, Long> entry : scores.entrySet()) {
                scoreSum += entry.getKey() * (double) entry.getValue();
            }
            return new EvaluationReport.Satisfaction(scored, scored == 0 ? null : scoreSum / scored,
                                                     Collections.unmodifiableMap(new TreeMap<>(scores)));
        }

        private EvaluationReport.CitizenRepetition citizenRepetition() {
            Values repeats = new Values();
            long repeating = 0;
            for (Map<String, Integer> provisions : citizens.values()) {
                int again = provisions.values().stream().mapToInt(count -> count - 1).sum();
                repeats.add(again);
                repeating += again > 0 ? 1 : 0;
            }
            return new EvaluationReport.CitizenRepetition(citizens.size(), share(repeating, citizens.size()),
                                                          repeats.distribution());
        }

        EvaluationReport.Group result(Map<String, String> key) {
            long resolved = cases - open;
            Map<Channel, Double> mix = new EnumMap<>(Channel.class);
            channels.forEach((channel, count) -> mix.put(channel, (double) count / contacts));
            List<EvaluationReport.UnitPair> pairs = new ArrayList<>();
            Map<List<String>, long[]> sortedPairs = new TreeMap<>(EvaluationQueries::compareKeys);
            sortedPairs.putAll(pairCounts);
            sortedPairs.forEach((pair, count) -> {
                Values delays = pairDelays.get(pair);
                pairs.add(new EvaluationReport.UnitPair(pair.get(0), pair.get(1), count[0],
                                                        delays == null ? null : delays.median()));
            });
            return new EvaluationReport.Group(
                    key, cases, open, resolved, steps.distribution(), touchpoints.distribution(),
                    handovers.distribution(), lead.distribution(), leadBusiness.distribution(),
                    handling.distribution(), waitingCitizen.distribution(), waitingCitizenBusiness.distribution(),
                    waitingMunicipality.distribution(), waitingMunicipalityBusiness.distribution(),
                    staffMinutes.distribution(), queue.distribution(), share(repeated, cases), share(fcr, resolved),
                    share(avoidable, contacts), contacts, mix, share(digitalFirst, cases),
                    satisfaction(scores), pairs, returns.distribution(), share(withReturns, cases),
                    citizenRepetition(), byChannel(), distributions(new EnumMap<>(Channel.class), queueByChannel),
                    distributions(new TreeMap<>(), queueByUnit));
        }

        private static <K> Map<K, Distribution> distributions(Map<K, Distribution> into, Map<K, Values> values) {
            values.forEach((key, v) -> into.put(key, v.distribution()));
            return into;
        }

        private Map<Channel, EvaluationReport.Satisfaction> byChannel() {
            Map<Channel, EvaluationReport.Satisfaction> result = new EnumMap<>(Channel.class);
            scoresByChannel.forEach((channel, counts) -> result.put(channel, satisfaction(counts)));
            return result;
        }

        private static Double share(long part, long whole) {
            return whole == 0 ? null : (double) part / whole;
        }
    }
}
