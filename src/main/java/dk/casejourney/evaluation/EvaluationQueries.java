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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

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
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * The evaluation, read from the journey-figures tables: one pass over the matching cases and their
 * contacts, handovers and scores, aggregated per group in memory (percentiles need the values, and
 * nearest-rank must be exactly the same on H2 and PostgreSQL: H2's PERCENTILE_DISC takes the value at
 * rank floor(p x (n - 1)) + 1, not ceil(p x n), so p90 cannot be left to the database).
 */
@Component
class EvaluationQueries {

    static final String PERCENTILE_METHOD = "nearest-rank: value at rank ceil(p x n) of the sorted values";
    private static final Map<Dimension, String> COLUMNS = EvaluationFacts.COLUMNS;
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationQueries.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final EvaluationFacts copy;
    private final Clock clock;
    private final EventCodec codec = new EventCodec();

    EvaluationQueries(NamedParameterJdbcTemplate jdbc, EvaluationReaders readers, Clock clock) {
        this.jdbc = jdbc;
        this.copy = new EvaluationFacts(readers.jdbc());
        this.clock = clock;
    }

    /**
     * Reads the in-memory copy once the web server is up, on a thread of its own, so that the first dashboard after
     * a start does not wait for it (the command-line modes start no web server and never need it).
     */
    @EventListener(WebServerInitializedEvent.class)
    void readTheCopyAhead() {
        Thread thread = new Thread(() -> {
            try {
                copy.current();
            } catch (RuntimeException e) {
                LOG.warn("the evaluation's copy of the journey figures was not read ahead ({}); the first evaluation "
                                 + "reads it", e.toString());
            }
        }, "evaluation-copy");
        thread.setDaemon(true);
        thread.start();
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
        // Nodes (frequency, cases, start and end) and edges from each case's path: an edge is the step from one node
        // to the next, its gap kept beside the path (V150). Percentiles in memory: nearest-rank exactly as everywhere
        // else (see the class comment).
        Map<String, long[]> nodes = new HashMap<>();
        Map<List<String>, EdgeAccumulator> edges = new HashMap<>();
        jdbc.query("SELECT p.case_id, p.path, p.gaps FROM journey_path p JOIN journey_case c ON c.case_id = p.case_id"
                           + where + " AND p.level = :level", params, rs -> {
            String caseId = rs.getString(1);
            List<String> path = codec.path(rs.getString(2));
            long[] gaps = codec.gaps(rs.getString(3));
            if (gaps.length != Math.max(0, path.size() - 1)) {
                throw new IllegalStateException("journey_path of case " + caseId + " holds " + path.size()
                                                        + " nodes and " + gaps.length + " gaps: reset journey-figures");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < path.size(); i++) {
                long[] node = nodes.computeIfAbsent(path.get(i), k -> new long[4]);
                node[0]++;
                node[1] += seen.add(path.get(i)) ? 1 : 0;
                node[2] += i == 0 ? 1 : 0;
                node[3] += i == path.size() - 1 ? 1 : 0;
                if (i > 0) {
                    edges.computeIfAbsent(List.of(path.get(i - 1), path.get(i)), k -> new EdgeAccumulator())
                         .add(caseId, gaps[i - 1]);
                }
            }
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
     * pass over the in-memory copy of the cases: each report equals the one {@link #evaluate(EvaluationCriteria)}
     * gives for that grouping.
     */
    List<EvaluationReport> evaluate(EvaluationCriteria criteria, List<List<Dimension>> groupings) {
        EvaluationFacts.Snapshot snapshot = copy.current();
        long from = criteria.from() == null ? Long.MIN_VALUE : startOf(criteria.from()).toInstant().toEpochMilli();
        long to = criteria.to() == null ? Long.MAX_VALUE : startOf(criteria.to().plusDays(1)).toInstant().toEpochMilli();
        Dimension[] filtered = criteria.filters().keySet().toArray(Dimension[]::new);
        String[] wanted = new String[filtered.length];
        for (int i = 0; i < filtered.length; i++) {
            wanted[i] = criteria.filters().get(filtered[i]);
        }
        List<EvaluationFacts.CaseFacts> matching = new ArrayList<>();
        int[] shared = new int[snapshot.cases().size()];
        cases:
        for (EvaluationFacts.CaseFacts facts : snapshot.cases().values()) {
            // Opened within the period (Copenhagen days, both included; a bound not given is no bound); whole
            // milliseconds compare as the timestamps do, the bounds being whole milliseconds.
            if (facts.openedAt < from || facts.openedAt >= to) {
                continue;
            }
            for (int i = 0; i < filtered.length; i++) {
                if (!wanted[i].equals(facts.value(filtered[i]))) {
                    continue cases;
                }
            }
            shared[matching.size()] = snapshot.sharedCitizens().getOrDefault(facts.citizen, -1);
            matching.add(facts);
        }
        Map<String, String> filters = new LinkedHashMap<>();
        criteria.filters().forEach((dimension, value) -> filters.put(dimension.parameter(), value));
        Instant asOf = clock.instant();
        // The groupings are independent: each on a core of its own when there are several.
        return IntStream.range(0, groupings.size()).parallel().mapToObj(g -> {
            Dimension[] keyDimensions = groupings.get(g).toArray(Dimension[]::new);
            Map<List<String>, GroupAccumulator> groups = new HashMap<>();
            for (int c = 0; c < matching.size(); c++) {
                EvaluationFacts.CaseFacts facts = matching.get(c);
                group(groups, facts, keyDimensions).add(facts, shared[c]);
            }
            List<String> groupNames = groupings.get(g).stream().map(Dimension::parameter).toList();
            List<Map.Entry<List<String>, GroupAccumulator>> sorted = new ArrayList<>(groups.entrySet());
            sorted.sort(Map.Entry.comparingByKey(EvaluationQueries::compareKeys));
            List<EvaluationReport.Group> result = new ArrayList<>();
            for (Map.Entry<List<String>, GroupAccumulator> entry : sorted) {
                Map<String, String> named = new LinkedHashMap<>();
                for (int i = 0; i < groupNames.size(); i++) {
                    named.put(groupNames.get(i), entry.getKey().get(i));
                }
                result.add(entry.getValue().result(named));
            }
            return new EvaluationReport(criteria.from(), criteria.to(), filters, groupNames, PERCENTILE_METHOD,
                                        "milliseconds (staff time in minutes)", asOf, result);
        }).toList();
    }

    private static GroupAccumulator group(Map<List<String>, GroupAccumulator> groups, EvaluationFacts.CaseFacts facts,
                                          Dimension[] dimensions) {
        if (dimensions.length == 0) {
            return groups.computeIfAbsent(List.of(), k -> new GroupAccumulator());
        }
        if (dimensions.length == 1) {
            // Arrays.asList, not List.of: a dimension may hold no value (null), as a key of several values may.
            String value = facts.value(dimensions[0]);
            GroupAccumulator group = groups.get(Collections.singletonList(value));
            return group != null ? group : groups.computeIfAbsent(Arrays.asList(value), k -> new GroupAccumulator());
        }
        String[] key = new String[dimensions.length];
        for (int i = 0; i < dimensions.length; i++) {
            key[i] = facts.value(dimensions[i]);
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

    /**
     * The cases of citizens with more than one case, with the information provided in each: added up per citizen
     * once all cases are in (sorted by citizen number, rather than hashed case by case).
     */
    private static final class SharedCitizenCases {
        private long[] citizenAndCase = new long[16];
        private int[] provided = new int[16];
        private long[] types = new long[16];
        private int size;

        void add(int citizen, int casesProvided, long casesTypes) {
            if (size == provided.length) {
                citizenAndCase = Arrays.copyOf(citizenAndCase, size * 2);
                provided = Arrays.copyOf(provided, size * 2);
                types = Arrays.copyOf(types, size * 2);
            }
            citizenAndCase[size] = (long) citizen << 32 | size;
            provided[size] = casesProvided;
            types[size] = casesTypes;
            size++;
        }

        /** Per citizen: all provisions less the types provided (provisions beyond the first of each type). */
        void perCitizen(LongConsumer again) {
            long[] sorted = Arrays.copyOf(citizenAndCase, size);
            Arrays.sort(sorted);
            int i = 0;
            while (i < size) {
                long citizen = sorted[i] >>> 32;
                long all = 0;
                long typesProvided = 0;
                for (; i < size && sorted[i] >>> 32 == citizen; i++) {
                    int at = (int) sorted[i];
                    all += provided[at];
                    typesProvided |= types[at];
                }
                again.accept(all - Long.bitCount(typesProvided));
            }
        }

        void clear() {
            size = 0;
        }
    }

    /** Handovers between one pair of units: how many, and the delays of those acted on. */
    private static final class PairAccumulator {
        private long count;
        private final Values delays = new Values();
    }

    /** Everything one group needs, filled case by case. */
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
        private static final Channel[] CHANNELS = Channel.values();
        // By channel number: counted for every contact, so no map lookups and boxing there (maps in result()).
        private final long[] channels = new long[CHANNELS.length];
        private final Map<Integer, Long> scores = new TreeMap<>();
        private final Map<Channel, Map<Integer, Long>> scoresByChannel = new EnumMap<>(Channel.class);
        private final Values returns = new Values();
        private final Values[] queueByChannel = new Values[CHANNELS.length];
        private final Map<String, Values> queueByUnit = new HashMap<>(); // sorted once in result()
        private long withReturns;
        private long citizens;
        private long repeating;
        private final Values repeats = new Values();
        private final SharedCitizenCases sharedCases = new SharedCitizenCases();
        // Hashed while rows come (a sorted map compared the units of every handover row), sorted once in result().
        // By identity: the copy gives each pair of units one list (EvaluationFacts.Handover).
        private final Map<List<String>, PairAccumulator> unitPairs = new IdentityHashMap<>();

        /** A matching case with its contacts, handovers, information provisions and scores. */
        /** @param sharedCitizen the number of the case's citizen if the citizen has other cases, else -1 */
        void add(EvaluationFacts.CaseFacts facts, int sharedCitizen) {
            cases++;
            steps.add(facts.steps);
            touchpoints.add(facts.touchpoints);
            handovers.add(facts.handovers);
            if (facts.open) {
                open++;
            } else {
                long[] d = facts.durations;
                lead.add(d[0]);
                leadBusiness.add(d[1]);
                handling.add(d[2]);
                waitingCitizen.add(d[3]);
                waitingCitizenBusiness.add(d[4]);
                waitingMunicipality.add(d[5]);
                waitingMunicipalityBusiness.add(d[6]);
            }
            staffMinutes.add(facts.staffMs / 60_000.0);
            repeated += facts.repeated ? 1 : 0;
            fcr += facts.firstContactResolution ? 1 : 0;
            digitalFirst += facts.digitalFirst ? 1 : 0;
            returns.add(facts.returns);
            withReturns += facts.returns > 0 ? 1 : 0;
            // Repeated information across a citizen's cases: provisions beyond the first of each type, over the
            // citizen's cases in the group (all provisions less the types provided). A citizen of one case is done
            // here; the others are added up first.
            if (sharedCitizen >= 0) {
                sharedCases.add(sharedCitizen, facts.provided, facts.typesProvided);
            } else {
                citizen(facts.provided - Long.bitCount(facts.typesProvided));
            }
            for (EvaluationFacts.Contact contact : facts.contacts) {
                addContact(contact.channel(), contact.avoidable(), contact.queueMs(), contact.unit());
            }
            for (EvaluationFacts.Handover handover : facts.handoverRows) {
                addHandover(handover.units(), handover.delayMs());
            }
            for (EvaluationFacts.Score score : facts.scores) {
                addScore(score.score(), score.channel());
            }
        }

        private void citizen(long again) {
            citizens++;
            repeats.add(again);
            repeating += again > 0 ? 1 : 0;
        }

        void addContact(Channel channel, boolean isAvoidable, Long queueMs, String unit) {
            contacts++;
            channels[channel.ordinal()]++;
            avoidable += isAvoidable ? 1 : 0;
            if (queueMs != null) {
                queue.add(queueMs);
                Values byChannel = queueByChannel[channel.ordinal()];
                if (byChannel == null) {
                    byChannel = new Values();
                    queueByChannel[channel.ordinal()] = byChannel;
                }
                byChannel.add(queueMs);
                queueByUnit.computeIfAbsent(unit, k -> new Values()).add(queueMs);
            }
        }

        /** A handover between two units (from, to); its delay only when the receiving unit acted on it (else null). */
        void addHandover(List<String> pair, Long delay) {
            PairAccumulator accumulator = unitPairs.computeIfAbsent(pair, k -> new PairAccumulator());
            accumulator.count++;
            if (delay != null) {
                accumulator.delays.add(delay);
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
            sharedCases.perCitizen(this::citizen);
            sharedCases.clear(); // counted once, should the result be asked again
            return new EvaluationReport.CitizenRepetition(citizens, share(repeating, citizens), repeats.distribution());
        }

        EvaluationReport.Group result(Map<String, String> key) {
            long resolved = cases - open;
            Map<Channel, Double> mix = new EnumMap<>(Channel.class);
            Map<Channel, Distribution> queueTimeByChannel = new EnumMap<>(Channel.class);
            for (Channel channel : CHANNELS) {
                if (channels[channel.ordinal()] > 0) {
                    mix.put(channel, (double) channels[channel.ordinal()] / contacts);
                }
                if (queueByChannel[channel.ordinal()] != null) {
                    queueTimeByChannel.put(channel, queueByChannel[channel.ordinal()].distribution());
                }
            }
            List<EvaluationReport.UnitPair> pairs = new ArrayList<>();
            Map<List<String>, PairAccumulator> sortedPairs = new TreeMap<>(EvaluationQueries::compareKeys);
            sortedPairs.putAll(unitPairs);
            sortedPairs.forEach((pair, accumulator) -> pairs.add(new EvaluationReport.UnitPair(
                    pair.get(0), pair.get(1), accumulator.count, accumulator.delays.median())));
            return new EvaluationReport.Group(
                    key, cases, open, resolved, steps.distribution(), touchpoints.distribution(),
                    handovers.distribution(), lead.distribution(), leadBusiness.distribution(),
                    handling.distribution(), waitingCitizen.distribution(), waitingCitizenBusiness.distribution(),
                    waitingMunicipality.distribution(), waitingMunicipalityBusiness.distribution(),
                    staffMinutes.distribution(), queue.distribution(), share(repeated, cases), share(fcr, resolved),
                    share(avoidable, contacts), contacts, mix, share(digitalFirst, cases),
                    satisfaction(scores), pairs, returns.distribution(), share(withReturns, cases),
                    citizenRepetition(), byChannel(), queueTimeByChannel,
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
