package dk.casejourney.simulation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.casejourney.LedgerApplication;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.common.Identifiers;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.common.ReadModel;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.Evaluations;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.evaluation.api.FindEvaluationsQuery;
import dk.casejourney.evaluation.api.FindJourneyQuery;
import dk.casejourney.evaluation.api.Journey;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.CaseHistory;
import dk.casejourney.journey.api.FindCaseHistoryQuery;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * The ledger's throughput beside the machine's own limit, on embedded H2 and on PostgreSQL, in one run. A main
 * class, not a test: surefire never runs it. Per store, on a fresh database (H2 in a temporary directory, a
 * PostgreSQL schema of its own, both removed afterwards):
 * <ol>
 *   <li>bulk import of the simulated municipality's cases through {@link BulkRecording}, projections stopped, until
 *       1,000,000 events are stored (about 175,000 cases);
 *       beside it a plain JDBC batch insert of the same stored rows (same bytes) into a copy of the event table;</li>
 *   <li>full rebuild of case-views and journey-figures (tokens reset, both replayed to the head), twice: the
 *       first in this young JVM, then again with its compilers' work done; beside them a plain sequential read
 *       of the event table with Jackson deserialization of every payload, and a plain JDBC batch insert of the
 *       rows the rebuilt read models hold into empty tables with their primary keys (what a replay must write);</li>
 *   <li>case history and journey queries through the QueryGateway, one client, random cases;</li>
 *   <li>the full evaluation over the 100,000 cases opened first (first run, then the median of five with
 *       unseen parameters);</li>
 *   <li>live appends through the CommandGateway with 1 and 8 clients, each sending simulated cases' commands one
 *       after the other (sendAndWait), projections running; beside it the plain batch insert of step 1;</li>
 *   <li>live writes through HTTP with the documented sign-in (HTTP Basic, the demo caseworker) with 1 and 8
 *       keep-alive clients, each opening a case and recording five contacts on it, then the next case (about the
 *       simulated cases' length), projections running.</li>
 * </ol>
 * Run (see docs/benchmarks.md): {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="--scale=1"}.
 * Options: {@code --scale=F} (1,000,000 x F events, 100,000 x F cases evaluated), {@code --stores=h2,postgres}
 * (or {@code axonserver}, with AXONSERVER_ADDRESS: bulk import, rebuild and live appends only),
 * {@code --live-seconds=N}, {@code --queries=N}, {@code --import-threads=N}, {@code --batch-cases=N},
 * {@code --rebuilds=N} (rebuilds one after the other, 2 by default: the first in a young JVM, then warm),
 * {@code --plain-reads=N} and {@code --plain-inserts=N} (rounds of the limits, 5 and 3: the fastest is taken).
 * PostgreSQL comes from LEDGER_BENCH_DB_URL / _USER / _PASSWORD (default the CI database at 127.0.0.1).
 */
public final class LedgerBenchmark {

    private static final List<String> PROCESSORS = List.of("case-views", "journey-figures");
    private static final LocalDate START = LocalDate.parse("2024-01-01");
    private static final LocalDate END = LocalDate.parse("2025-12-31");
    private static final long SEED = 42;
    private static final MetaData RECORDED_BY = MetaData.with(LedgerMetadata.RECORDED_BY, "benchmark");

    private final Map<String, String> options;
    /** Events to import: the 1,000,000 times the scale. */
    private final long targetEvents;
    /** Cases the evaluation covers: the 100,000 times the scale (the earliest opened). */
    private final int evaluationCases;
    private final List<Row> rows = new ArrayList<>();

    private LedgerBenchmark(Map<String, String> options) {
        this.options = options;
        double scale = Double.parseDouble(options.getOrDefault("scale", "1"));
        this.targetEvents = Math.round(1_000_000 * scale);
        this.evaluationCases = (int) Math.round(100_000 * scale);
    }

    public static void main(String[] args) throws Exception {
        // The JDK keeps at most 5 idle keep-alive connections per server by default: 8 clients need 8.
        System.setProperty("http.maxConnections", "16");
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        LedgerBenchmark benchmark = new LedgerBenchmark(options);
        int exit = 0;
        try {
            for (String store : options.getOrDefault("stores", "h2,postgres").split(",")) {
                benchmark.run(store.trim());
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            benchmark.print();
        }
        // Axon leaves non-daemon threads behind after a context is closed.
        System.exit(exit);
    }

    /**
     * {@code --steps=rebuild-only}: the import (which the rebuild needs) and the rebuild with its limits only;
     * {@code --steps=live-only}: only the live appends through the gateway, with 1 and 8 clients, three rounds each
     * (on an empty ledger; the first rounds warm the compilers), to compare a change of the write path;
     * {@code --steps=http-only}: the HTTP warm-up, then three rounds of live writes through HTTP with 1 and 8
     * clients on an empty ledger, to compare a change of the HTTP path.
     */
    private String steps() {
        return options.getOrDefault("steps", "all");
    }

    private int option(String name, int otherwise) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(otherwise)));
    }

    private void run(String store) throws Exception {
        String loadBefore = load();
        Path dataDir = null;
        String schema = null;
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--logging.level.dk.casejourney=WARN",
                "--logging.level.org.springframework.core.annotation=ERROR", "--server.port=0"));
        switch (store) {
            case "h2" -> {
                dataDir = Files.createTempDirectory("ledger-benchmark");
                arguments.add("--ledger.data-dir=" + dataDir);
            }
            case "postgres" -> {
                schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                try (Connection c = pgConnect(pgBaseUrl()); Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + schema);
                }
                arguments.addAll(List.of("--spring.profiles.active=postgres",
                                         "--spring.datasource.url=" + pgUrl(schema),
                                         "--spring.datasource.username=" + pgUser(),
                                         "--spring.datasource.password=" + pgPassword(),
                                         "--ledger.security.allow-demo-users=true"));
            }
            case "axonserver" -> schema = axonServerArguments(arguments);
            default -> throw new IllegalArgumentException("unknown store " + store + " (h2, postgres or axonserver)");
        }
        options.forEach((name, value) -> {
            if (name.startsWith("ledger.") || name.startsWith("spring.") || name.startsWith("axon.")) {
                arguments.add("--" + name + "=" + value);
            }
        });
        System.out.printf("%n== %s: %,d events, load %s ==%n", store, targetEvents, loadBefore);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.SERVLET).run(arguments.toArray(String[]::new))) {
            new StoreRun(store, app).run();
        } finally {
            if (dataDir != null) {
                deleteTree(dataDir);
            }
            if (schema != null) {
                try (Connection c = pgConnect(pgBaseUrl()); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
        rows.add(new Row(store, "load average (1/5/15 min) before / after", loadBefore + " / " + load(), "", "",
                         "", ""));
    }

    /** One store's measurements, in the order that builds the data each next one needs. */
    private final class StoreRun {
        private final String store;
        private final ConfigurableApplicationContext app;
        private final DataSource dataSource;
        private final MunicipalityModel model;
        private final Instant now;
        private int cases;
        private long events;
        private double plainInsertRate;

        StoreRun(String store, ConfigurableApplicationContext app) {
            this.store = store;
            this.app = app;
            this.dataSource = app.getBean(DataSource.class);
            this.now = app.getBean(Clock.class).instant();
            // About 5.7 events a case: the population is sized as the simulator sizes it for that many cases.
            this.model = new MunicipalityModel(SEED, START, END, LocalDate.parse("2025-01-01"), "101",
                                               (int) Math.max(1, targetEvents / 57 * 7), app.getBean(UnitCalendars.class));
        }

        void run() throws Exception {
            processors().forEach(StreamingEventProcessor::shutDown);
            if (store.equals("axonserver")) {
                runOnAxonServer();
                return;
            }
            if (steps().contains("live-only") || steps().contains("http-only")) {
                liveRoundsOnly(steps().contains("http-only"));
                return;
            }
            bulkImport();
            plainInsert();
            for (int round = 1; round <= option("rebuilds", 2); round++) {
                rebuild(round);
            }
            plainRead();
            plainWriteOfReadModels();
            if (!steps().contains("rebuild-only")) {
                queries();
                evaluation();
                liveAppend(1);
                liveAppend(8);
                warmUpHttp();
                liveHttp(1, option("live-seconds", 20), true);
                liveHttp(8, option("live-seconds", 20), true);
            }
        }

        /** Three rounds of live writes with 1 and 8 clients on an empty ledger: through HTTP, or the gateway. */
        private void liveRoundsOnly(boolean http) throws Exception {
            processors().forEach(StreamingEventProcessor::start);
            if (http) {
                warmUpHttp();
            }
            for (int round = 0; round < 3; round++) {
                for (int clients : new int[] {1, 8}) {
                    if (http) {
                        liveHttp(clients, option("live-seconds", 20), true);
                    } else {
                        liveAppend(clients);
                    }
                }
            }
        }

        private void bulkImport() throws Exception {
            int threads = option("import-threads", 2);
            int batchCases = option("batch-cases", 50);
            resetPeakHeap();
            AtomicLong next = new AtomicLong();
            AtomicLong recorded = new AtomicLong();
            AtomicLong skipped = new AtomicLong();
            BulkRecording bulk = app.getBean(BulkRecording.class);
            long started = System.nanoTime();
            parallel(threads, () -> {
                while (recorded.get() < targetEvents) {
                    long first = next.getAndAdd(batchCases);
                    List<MunicipalityModel.SimulatedCase> batch = new ArrayList<>();
                    for (long n = first; n < first + batchCases; n++) {
                        batch.add(model.generate(n, now));
                    }
                    try {
                        bulk.record("benchmark", batch.stream().flatMap(c -> c.commands().stream()).toList());
                        recorded.addAndGet(batch.stream().mapToLong(c -> c.commands().size()).sum());
                    } catch (BulkRecording.BatchRejected refused) {
                        // One refused case must not cost the others: record them one case per batch.
                        for (MunicipalityModel.SimulatedCase simulated : batch) {
                            try {
                                bulk.record("benchmark", simulated.commands());
                                recorded.addAndGet(simulated.commands().size());
                            } catch (BulkRecording.BatchRejected again) {
                                if (skipped.incrementAndGet() >= 10 && recorded.get() == 0) {
                                    // Not a few refused cases but a broken import: say so instead of looping.
                                    throw new IllegalStateException("the first 10 cases were all refused", again);
                                }
                            }
                        }
                    }
                    if ((first / batchCases) % 200 == 0) {
                        progress("bulk import: %,d/%,d events, %,.0f events/s", recorded.get(), targetEvents,
                                 recorded.get() / seconds(started));
                    }
                }
            });
            double seconds = seconds(started);
            cases = (int) next.get();
            events = store.equals("axonserver") ? headPosition() + 1 : count("SELECT COUNT(*) FROM domain_event_entry");
            rows.add(new Row(store, "bulk import (BulkRecording, %d threads, %d cases per batch)"
                    .formatted(threads, batchCases), rate(events / seconds),
                             "%,d events (%,d cases%s) in %.1f s".formatted(events, cases,
                                     skipped.get() == 0 ? "" : ", " + skipped.get() + " refused", seconds),
                             "", "", peakHeap()));
            progress("bulk import: %,d events in %.1f s", events, seconds);
        }

        /**
         * The same stored rows, bytes as stored, into an identical table by plain JDBC batches, {@code --plain-inserts}
         * times (3 by default) into a new table each time, the fastest taken as the limit and all printed: like the
         * plain read, one round at a small scale is too short for the compilers to be done.
         */
        private void plainInsert() throws Exception {
            int threads = option("import-threads", 2);
            int batchRows = option("plain-batch-rows", 500);
            int rounds = Math.max(1, option("plain-inserts", 3));
            List<String> rates = new ArrayList<>();
            double[] fastest = fastest(rounds, () -> plainInsertOnce(threads, batchRows), round -> round[0] / round[1],
                                       rates);
            plainInsertRate = fastest[0] / fastest[1];
            rows.add(new Row(store, "plain JDBC batch insert of the same rows (%d threads, %d rows per commit), the "
                    .formatted(threads, batchRows) + "fastest of " + rounds, rate(plainInsertRate),
                             "%,.0f rows, %.1f s inserting (%.1f s with reading them; all rounds: %s events/s)"
                                     .formatted(fastest[0], fastest[1], fastest[2], String.join(" / ", rates)),
                             "", "", ""));
            Row importRow = rows.stream().filter(r -> r.store.equals(store) && r.measure.startsWith("bulk import"))
                                .reduce((a, b) -> b).orElseThrow();
            rows.set(rows.indexOf(importRow), importRow.against(plainInsertRate, "plain insert", "≥ 30%"));
        }

        /** One round of the plain insert into a new table: rows inserted, seconds inserting (per thread), wall. */
        private double[] plainInsertOnce(int threads, int batchRows) throws Exception {
            execute("CREATE TABLE bench_plain_insert (global_index BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL, "
                            + "aggregate_identifier VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL, "
                            + "type VARCHAR(255), event_identifier VARCHAR(255) NOT NULL, meta_data BYTEA, "
                            + "payload BYTEA NOT NULL, payload_revision VARCHAR(255), payload_type VARCHAR(255) NOT NULL, "
                            + "time_stamp VARCHAR(255) NOT NULL, PRIMARY KEY (global_index), "
                            + "CONSTRAINT bench_plain_insert_seq UNIQUE (aggregate_identifier, sequence_number), "
                            + "CONSTRAINT bench_plain_insert_id UNIQUE (event_identifier))");
            long maxIndex = count("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry");
            AtomicLong nextPage = new AtomicLong();
            AtomicLong nanos = new AtomicLong();
            AtomicLong inserted = new AtomicLong();
            long wallStarted = System.nanoTime();
            parallel(threads, () -> {
                try (Connection read = dataSource.getConnection(); Connection write = dataSource.getConnection();
                     PreparedStatement select = read.prepareStatement(
                             "SELECT aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload, "
                                     + "payload_revision, payload_type, time_stamp FROM domain_event_entry "
                                     + "WHERE global_index > ? AND global_index <= ? ORDER BY global_index");
                     PreparedStatement insert = write.prepareStatement(
                             "INSERT INTO bench_plain_insert (aggregate_identifier, sequence_number, type, "
                                     + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
                                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    write.setAutoCommit(false);
                    while (true) {
                        long from = nextPage.getAndAdd(batchRows);
                        if (from >= maxIndex) {
                            return;
                        }
                        List<Object[]> page = new ArrayList<>(batchRows);
                        select.setLong(1, from);
                        select.setLong(2, from + batchRows);
                        try (ResultSet rs = select.executeQuery()) {
                            while (rs.next()) {
                                page.add(new Object[]{rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                        rs.getBytes(5), rs.getBytes(6), rs.getString(7), rs.getString(8),
                                        rs.getString(9)});
                            }
                        }
                        nanos.addAndGet(insertAndCommit(insert, write, page));
                        inserted.addAndGet(page.size());
                    }
                }
            });
            double wall = seconds(wallStarted);
            // Threads insert in parallel: the busy time per thread, not the sum, is what the rows took.
            double insertSeconds = nanos.get() / 1e9 / threads;
            execute("DROP TABLE bench_plain_insert");
            return new double[] {inserted.get(), insertSeconds, wall};
        }

        /** One batch of rows inserted and committed by plain JDBC: the nanoseconds it took. */
        private static long insertAndCommit(PreparedStatement insert, Connection write, List<Object[]> rows)
                throws SQLException {
            long started = System.nanoTime();
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
            write.commit();
            return System.nanoTime() - started;
        }

        /** A round of a limit's measurement. */
        private interface Round<T> {
            T run() throws Exception;
        }

        /**
         * A limit measured {@code rounds} times: the round with the highest rate, every round's rate (events/s) added
         * to {@code rates} for the printed row.
         */
        private static <T> T fastest(int rounds, Round<T> round, ToDoubleFunction<T> rate, List<String> rates)
                throws Exception {
            T fastest = null;
            for (int i = 0; i < rounds; i++) {
                T measured = round.run();
                rates.add("%,.0f".formatted(rate.applyAsDouble(measured)));
                if (fastest == null || rate.applyAsDouble(measured) > rate.applyAsDouble(fastest)) {
                    fastest = measured;
                }
            }
            return fastest;
        }

        /** One plain read: the events read, its seconds and the JVM's CPU per event. */
        private record PlainRead(long events, double seconds, double cpuPerEvent) {
        }

        /**
         * The product's rebuild of both read models at once (StartRebuildCommand, as the projections page, the
         * API and --rebuild start it): stop, copy the tables, reset, replay, verify against the copy. The read
         * models are first brought to the head by the processors, as they are in use, so that the copy and the
         * verification have the tables a real rebuild has. The first rebuild in this JVM runs while the compilers
         * are still at work (C2 took a third of the JVM's CPU in it, 2026-12-03); a later one is the rebuild an
         * auditor starts on a server that has been running, warm as the plain read it is compared with.
         */
        private void rebuild(int round) throws Exception {
            processors().forEach(StreamingEventProcessor::start);
            awaitCaughtUp(headPosition(), System.nanoTime());
            resetPeakHeap();
            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            CommandGateway commands = app.getBean(CommandGateway.class);
            List<String> ids = new ArrayList<>();
            for (String group : PROCESSORS) {
                ids.add(commands.sendAndWait(new StartRebuildCommand(group, Identifiers.random())));
            }
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            double replaySeconds = 0;
            // Of the rebuild that took longest: from its start to its replay, and from the replay's end to DONE.
            double slowest = 0;
            double beforeReplay = 0;
            double verifying = 0;
            for (String id : ids) {
                while (true) {
                    Map<String, Object> row = jdbc.queryForMap("SELECT step, events_total, events_per_second, "
                                                                       + "started_at, replay_started_at, finished_at, "
                                                                       + "verification, error FROM projection_rebuild "
                                                                       + "WHERE rebuild_id = ?", id);
                    String step = (String) row.get("step");
                    if (step.equals("FAILED")) {
                        throw new IllegalStateException("rebuild failed: " + row);
                    }
                    if (step.equals("DONE")) {
                        // A rate is only worth reporting for a rebuild that gave the read model it replaced.
                        String verification = String.valueOf(row.get("verification"));
                        if (!verification.startsWith("{\"equal\":true")) {
                            throw new IllegalStateException("rebuild " + id + " verified DIFFERENT: " + verification);
                        }
                        double rate = ((Number) row.get("events_per_second")).doubleValue();
                        double replay = ((Number) row.get("events_total")).longValue() / Math.max(rate, 1e-9);
                        double toReplay = secondsBetween(row.get("started_at"), row.get("replay_started_at"));
                        double all = secondsBetween(row.get("started_at"), row.get("finished_at"));
                        if (all > slowest) {
                            slowest = all;
                            beforeReplay = toReplay;
                            verifying = all - toReplay - replay;
                        }
                        replaySeconds = Math.max(replaySeconds, replay);
                        break;
                    }
                    Thread.sleep(100);
                }
            }
            double seconds = seconds(started);
            rebuildCpuPerEvent = (processCpuNanos() - cpuStarted) / 1e3 / events;
            lastRebuildRate = events / seconds;
            rows.add(new Row(store, "full rebuild of case-views and journey-figures (both at once)"
                                     + (round == 1 ? ", the first in this JVM" : ", again (round " + round
                                     + ", compilers warm)"),
                             rate(lastRebuildRate), ("%,d events in %.1f s (stop, copy, reset, replay, verify; the "
                                                     + "replays %.1f s = %,.0f events/s; the slowest rebuild's stop, "
                                                     + "copy and reset %.1f s, its verification %.1f s); JVM CPU "
                                                     + "%.0f µs/event")
                                     .formatted(events, seconds, replaySeconds, events / replaySeconds, beforeReplay,
                                                verifying, rebuildCpuPerEvent), "", "", peakHeap()));
        }

        /** Seconds between two timestamps of a row, as the JDBC driver gives them (H2 and PostgreSQL differ). */
        private static double secondsBetween(Object from, Object to) {
            return Duration.between(instant(from), instant(to)).toNanos() / 1e9;
        }

        private static Instant instant(Object timestamp) {
            if (timestamp instanceof java.time.OffsetDateTime offset) {
                return offset.toInstant();
            }
            if (timestamp instanceof java.sql.Timestamp sql) {
                return sql.toInstant();
            }
            if (timestamp instanceof Instant instant) {
                return instant;
            }
            throw new IllegalArgumentException("not a timestamp: " + timestamp);
        }

        private double lastRebuildRate;
        private double plainReadRate;
        /** The JVM's CPU time per event (all threads): on a shared machine steadier than the wall-clock rate. */
        private double rebuildCpuPerEvent;

        /**
         * Every stored payload read in order and deserialized by Jackson into its event class, {@code --plain-reads}
         * times (5 by default), the fastest taken as the limit and all printed. At {@code --scale=0.05} one read takes
         * under a second, too short for the compilers: the first read of a run went at a third to a half of the
         * rate the third reached (2026-12-04), and the read is the limit, so it is measured warm as the rebuild is.
         */
        private void plainRead() throws Exception {
            int reads = Math.max(1, option("plain-reads", 5));
            List<String> rates = new ArrayList<>();
            PlainRead fastest = fastest(reads, () -> {
                long started = System.nanoTime();
                long cpuStarted = processCpuNanos();
                long read = readAllPayloads();
                return new PlainRead(read, seconds(started), (processCpuNanos() - cpuStarted) / 1e3 / read);
            }, round -> round.events() / round.seconds(), rates);
            plainReadRate = fastest.events() / fastest.seconds();
            rows.add(new Row(store, "plain sequential read + Jackson deserialization (payload and metadata), the "
                                     + "fastest of " + reads,
                             rate(plainReadRate), "%,d events in %.1f s (all reads: %s events/s); JVM CPU %.0f µs/event "
                                     .formatted(fastest.events(), fastest.seconds(), String.join(" / ", rates),
                                                fastest.cpuPerEvent())
                                     + "(the last rebuild: %.0f%% of its rate by JVM CPU)"
                                     .formatted(100 * fastest.cpuPerEvent() / rebuildCpuPerEvent), "", "", ""));
            for (Row rebuildRow : List.copyOf(rows)) {
                if (rebuildRow.store.equals(store) && rebuildRow.measure.startsWith("full rebuild")) {
                    rows.set(rows.indexOf(rebuildRow), rebuildRow.against(plainReadRate, "plain read", "≥ 50%"));
                }
            }
        }

        /** One read of every stored event in order, payload and metadata deserialized: the events read. */
        private long readAllPayloads() throws SQLException, java.io.IOException {
            ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                                                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            Map<String, Class<?>> types = new HashMap<>();
            long read = 0;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT global_index, payload_type, payload, meta_data FROM domain_event_entry "
                                + "ORDER BY global_index")) {
                    select.setFetchSize(1000);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rs.getLong(1);
                            Class<?> type = types.computeIfAbsent(rs.getString(2), LedgerBenchmark::load);
                            if (mapper.readValue(rs.getBytes(3), type) == null) {
                                throw new IllegalStateException("empty payload");
                            }
                            mapper.readTree(rs.getBytes(4));
                            read++;
                        }
                    }
                }
                connection.commit();
            }
            return read;
        }

        /**
         * The rows the rebuilt read models hold, read back and written by plain JDBC batches (as the plain insert of
         * step 1: the same threads, rows per commit and busy time per thread) into empty tables with the same
         * columns and primary keys, their other indexes left out. A replay has to write at least these rows, so
         * the events' rate this allows is what a rebuild could reach if reading, deserializing, computing, copying
         * and verifying cost nothing. Each read model's replay also reads the whole ledger (plain read's rate each,
         * the two at once on two cores), so together the two give a ceiling for the rebuild's rate on this machine.
         */
        private void plainWriteOfReadModels() throws Exception {
            int threads = option("import-threads", 2);
            int batchRows = option("plain-batch-rows", 500);
            List<ReadModel.Table> tables = app.getBeansOfType(ReadModel.class).values().stream()
                                              .filter(model -> PROCESSORS.contains(model.processingGroup()))
                                              .flatMap(model -> model.tables().stream()).toList();
            Map<ReadModel.Table, List<Object[]>> held = new LinkedHashMap<>();
            long written = 0;
            for (ReadModel.Table table : tables) {
                List<Object[]> all = new ArrayList<>();
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM " + table.name())) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Object[] row = new Object[columns];
                        for (int i = 0; i < columns; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        all.add(row);
                    }
                }
                held.put(table, all);
                written += all.size();
            }
            // Like the plain insert: rounds into new tables, the fastest taken.
            int rounds = Math.max(1, option("plain-inserts", 3));
            List<String> rates = new ArrayList<>();
            double insertSeconds = fastest(rounds, () -> writeOnce(held, threads, batchRows), seconds -> events / seconds,
                                           rates);
            double bound = events / insertSeconds;
            // Each read model's replay reads the whole ledger itself (one processing group each), the two on the two
            // cores at once, and the rows take both cores' time as measured here: per event, a rebuild needs at least
            // 1 / read + 1 / write seconds of the two cores, before any handler, copy or verification.
            double ceiling = 1 / (1 / plainReadRate + 1 / bound);
            rows.add(new Row(store, "plain JDBC batch insert of the rebuilt read models' rows (%d threads, %d rows per "
                                     .formatted(threads, batchRows) + "commit, primary keys only), the fastest of "
                                     + rounds,
                             rate(bound), ("%,d rows in %d tables = %.2f rows per event, %,.0f rows/s, %.1f s inserting "
                                           + "(all rounds: %s events/s): %.0f%% of the plain read. Both replays reading "
                                           + "the ledger and these writes leave a rebuild at most %,.0f events/s = "
                                           + "%.0f%% of the plain read")
                                     .formatted(written, tables.size(), written / (double) events,
                                                written / insertSeconds, insertSeconds, String.join(" / ", rates),
                                                100 * bound / plainReadRate, ceiling, 100 * ceiling / plainReadRate),
                             "", "", ""));
        }

        /** One round of the plain write: each table's rows into a new table of its own; the seconds inserting. */
        private double writeOnce(Map<ReadModel.Table, List<Object[]>> held, int threads, int batchRows)
                throws Exception {
            double insertSeconds = 0;
            for (Map.Entry<ReadModel.Table, List<Object[]>> entry : held.entrySet()) {
                ReadModel.Table table = entry.getKey();
                List<Object[]> all = entry.getValue();
                if (all.isEmpty()) {
                    continue;
                }
                String copy = "bench_plain_" + table.name();
                execute("CREATE TABLE " + copy + " AS SELECT * FROM " + table.name() + " WITH NO DATA");
                for (String key : table.keyColumns()) {
                    // A copy's columns may all be nullable (H2): a key's may not.
                    execute("ALTER TABLE " + copy + " ALTER COLUMN " + key + " SET NOT NULL");
                }
                execute("ALTER TABLE " + copy + " ADD PRIMARY KEY (" + String.join(", ", table.keyColumns()) + ")");
                String insertSql = "INSERT INTO " + copy + " VALUES (" + "?, ".repeat(all.get(0).length - 1) + "?)";
                AtomicLong next = new AtomicLong();
                AtomicLong nanos = new AtomicLong();
                parallel(threads, () -> {
                    try (Connection write = dataSource.getConnection();
                         PreparedStatement insert = write.prepareStatement(insertSql)) {
                        write.setAutoCommit(false);
                        while (true) {
                            int from = (int) next.getAndAdd(batchRows);
                            if (from >= all.size()) {
                                return;
                            }
                            nanos.addAndGet(insertAndCommit(insert, write,
                                                            all.subList(from, Math.min(all.size(), from + batchRows))));
                        }
                    }
                });
                long copied = count("SELECT COUNT(*) FROM " + copy);
                execute("DROP TABLE " + copy);
                if (copied != all.size()) {
                    throw new IllegalStateException(copy + " holds " + copied + " rows of " + all.size());
                }
                insertSeconds += nanos.get() / 1e9 / threads;
            }
            return insertSeconds;
        }

        private void queries() {
            int count = option("queries", 2000);
            QueryGateway queries = app.getBean(QueryGateway.class);
            SplittableRandom random = new SplittableRandom(7);
            resetPeakHeap();
            long[] history = new long[count];
            long[] journey = new long[count];
            for (int warm = 0; warm < Math.min(500, count); warm++) {
                String caseId = caseId(random.nextInt(cases));
                queries.query(new FindCaseHistoryQuery(caseId), ResponseTypes.optionalInstanceOf(CaseHistory.class))
                       .join().orElseThrow();
                queries.query(new FindJourneyQuery(caseId), ResponseTypes.optionalInstanceOf(Journey.class))
                       .join().orElseThrow();
            }
            for (int i = 0; i < count; i++) {
                String caseId = caseId(random.nextInt(cases));
                long started = System.nanoTime();
                queries.query(new FindCaseHistoryQuery(caseId), ResponseTypes.optionalInstanceOf(CaseHistory.class))
                       .join().orElseThrow();
                history[i] = System.nanoTime() - started;
                started = System.nanoTime();
                queries.query(new FindJourneyQuery(caseId), ResponseTypes.optionalInstanceOf(Journey.class))
                       .join().orElseThrow();
                journey[i] = System.nanoTime() - started;
            }
            String heap = peakHeap();
            rows.add(latencyRow("case history query (QueryGateway, 1 client)", history, 10, heap));
            rows.add(latencyRow("journey query (QueryGateway, 1 client)", journey, 0, ""));
        }

        private Row latencyRow(String measure, long[] nanos, double p99TargetMs, String heap) {
            Arrays.sort(nanos);
            double p50 = percentile(nanos, 0.50) / 1e6;
            double p99 = percentile(nanos, 0.99) / 1e6;
            return new Row(store, measure, "p50 %.2f ms, p99 %.2f ms".formatted(p50, p99),
                           "%,d queries at %,d events, %,d cases".formatted(nanos.length, events, cases), "",
                           p99TargetMs == 0 ? "" : "p99 < %.0f ms: %s".formatted(p99TargetMs,
                                                                                 p99 < p99TargetMs ? "met" : "MISSED"),
                           heap);
        }

        private void evaluation() throws SQLException {
            QueryGateway queries = app.getBean(QueryGateway.class);
            // The period from the first day to the day the evaluationCases-th case opened (whole days).
            LocalDate to;
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT opened_at FROM journey_case ORDER BY opened_at OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")) {
                s.setInt(1, Math.min(evaluationCases, cases) - 1);
                try (ResultSet rs = s.executeQuery()) {
                    to = rs.next() ? rs.getObject(1, java.time.OffsetDateTime.class)
                                       .atZoneSameInstant(java.time.ZoneId.of("Europe/Copenhagen")).toLocalDate()
                            : END;
                }
            }
            resetPeakHeap();
            for (List<Dimension> groupBy : List.of(List.<Dimension>of(), List.of(Dimension.CITIZEN_GROUP))) {
                long[] ms = new long[6];
                EvaluationReport report = null;
                for (int run = 0; run < ms.length; run++) {
                    // A day earlier each run: the same cases, parameters the database has not answered before.
                    EvaluationCriteria criteria = new EvaluationCriteria(START.minusDays(run), to, Map.of(), groupBy);
                    long started = System.nanoTime();
                    report = queries.query(new FindEvaluationQuery(criteria), EvaluationReport.class).join();
                    ms[run] = (System.nanoTime() - started) / 1_000_000;
                }
                long first = ms[0];
                long[] warm = Arrays.copyOfRange(ms, 1, ms.length);
                Arrays.sort(warm);
                long evaluated = report.groups().stream().mapToLong(EvaluationReport.Group::cases).sum();
                rows.add(new Row(store, "full evaluation" + (groupBy.isEmpty() ? "" : " by citizen group"),
                                 "median %,d ms (first %,d ms)".formatted(warm[2], first),
                                 "%,d cases opened %s..%s of %,d, median of 5 after the first".formatted(
                                         evaluated, START, to, cases), "",
                                 groupBy.isEmpty() ? "< 500 ms for 100,000 cases: %s".formatted(
                                         evaluated < 100_000 ? "n/a (scaled down)" : warm[2] < 500 ? "met" : "MISSED")
                                         : "", groupBy.isEmpty() ? "" : peakHeap()));
            }
            // The dashboard's query: the whole period, by month and by channel from one read of the cases.
            long[] ms = new long[6];
            for (int run = 0; run < ms.length; run++) {
                long started = System.nanoTime();
                queries.query(new FindEvaluationsQuery(new EvaluationCriteria(START.minusDays(run), to, Map.of(),
                                                                              List.of()),
                                                       List.of(List.of(), List.of(Dimension.MONTH),
                                                               List.of(Dimension.CHANNEL))),
                              Evaluations.class).join();
                ms[run] = (System.nanoTime() - started) / 1_000_000;
            }
            long[] warm = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(warm);
            rows.add(new Row(store, "evaluation all + by month + by channel (the dashboard's one query)",
                             "median %,d ms (first %,d ms)".formatted(warm[2], ms[0]),
                             "same cases, median of 5 after the first", "", "", ""));
        }

        private int liveRounds;

        private void liveAppend(int clients) throws Exception {
            int seconds = option("live-seconds", 20);
            CommandGateway commands = app.getBean(CommandGateway.class);
            // Cases no earlier round opened (rounds repeat only with --steps=live-only).
            AtomicLong nextCase = new AtomicLong(cases + 1_000_000L * clients + 100_000_000L * (liveRounds++ / 2));
            List<long[]> latencies = new ArrayList<>();
            AtomicLong sent = new AtomicLong();
            resetPeakHeap();
            long cpuStarted = processCpuNanos();
            long databaseCpuStarted = databaseCpuNanos(store);
            AtomicLong clientCpu = new AtomicLong();
            long started = System.nanoTime();
            long deadline = started + seconds * 1_000_000_000L;
            parallel(clients, () -> {
                long cpuBefore = THREADS.getCurrentThreadCpuTime();
                long[] mine = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    MunicipalityModel.SimulatedCase simulated = model.generate(nextCase.getAndIncrement(), now);
                    for (CaseCommand command : simulated.commands()) {
                        long t = System.nanoTime();
                        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(RECORDED_BY));
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - t;
                        sent.incrementAndGet();
                    }
                }
                clientCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuBefore);
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, n));
                }
            });
            double took = seconds(started);
            double cpuPerEvent = (processCpuNanos() - cpuStarted) / 1e3 / sent.get();
            // The command is handled in the sending thread (local segment): its own CPU is the write path's.
            double clientCpuPerEvent = clientCpu.get() / 1e3 / sent.get();
            String databaseCpu = databaseCpu(store, databaseCpuStarted, sent.get(), "event");
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double rate = sent.get() / took;
            double p50 = percentile(all, 0.50) / 1e6;
            double p99 = percentile(all, 0.99) / 1e6;
            boolean met = rate >= 2000 && p99 < 50;
            rows.add(new Row(store, "live append (CommandGateway.sendAndWait, %d client%s, projections running)"
                    .formatted(clients, clients == 1 ? "" : "s"),
                             "%s, p50 %.1f ms, p99 %.1f ms".formatted(rate(rate), p50, p99),
                             "%,d commands = events in %.1f s; JVM CPU %.0f µs/event, sending threads %.0f µs/event%s"
                                     .formatted(sent.get(), took, cpuPerEvent, clientCpuPerEvent, databaseCpu),
                             "", "", peakHeap())
                    .against(plainInsertRate > 0 ? plainInsertRate : Double.NaN, "plain insert",
                             "≥ 2,000 events/s, p99 < 50 ms: " + (met ? "met" : "MISSED")));
            progress("live append, %d clients: %,.0f events/s, p50 %.1f ms, p99 %.1f ms, JVM CPU %.0f µs/event, "
                     + "sending threads %.0f µs/event%s", clients, rate, p50, p99, cpuPerEvent, clientCpuPerEvent,
                     databaseCpu);
        }

        /**
         * Axon Server holds the events (PostgreSQL the tokens and read models): the measures that go through
         * Axon's API only, since there is no event table to insert into or read plainly. Start it fresh (its
         * context keeps every earlier run's events and case ids).
         */
        private void runOnAxonServer() throws Exception {
            bulkImport();
            resetPeakHeap();
            long head = headPosition();
            long started = System.nanoTime();
            for (StreamingEventProcessor processor : processors()) {
                processor.resetTokens();
            }
            processors().forEach(StreamingEventProcessor::start);
            awaitCaughtUp(head, started);
            double seconds = seconds(started);
            rows.add(new Row(store, "full rebuild of case-views and journey-figures (both at once)",
                             rate((head + 1) / seconds), "%,d events in %.1f s".formatted(head + 1, seconds), "", "",
                             peakHeap()));
            liveAppend(1);
            liveAppend(8);
        }

        /**
         * Unmeasured: the first requests initialise Spring MVC, verify the password (bcrypt) and get compiled. A
         * server that runs all day answers with compiled code, so the measurement waits until the JIT compilers are
         * nearly idle: 2-second rounds of 8 clients, at least 5 and at most 60 seconds ({@code --http-warm-up=N}),
         * until the compilations of five rounds in a row took under 100 ms each (on 2 cores the compiler threads
         * otherwise take a third of the CPU of the step; they settle after about three minutes of load, and one
         * quiet round alone was often followed by seconds of compiling).
         */
        private void warmUpHttp() throws Exception {
            long started = System.nanoTime();
            liveHttp(8, 5, false);
            int quietRounds = 0;
            long compiled;
            do {
                long before = compilationMillis();
                liveHttp(8, 2, false);
                compiled = compilationMillis() - before;
                quietRounds = compiled < 100 ? quietRounds + 1 : 0;
            } while (quietRounds < 5 && seconds(started) + 2 <= option("http-warm-up", 60));
            progress("live HTTP warm-up: %.0f s, the last 2 s compiled for %d ms, %d quiet rounds in a row",
                     seconds(started), compiled, quietRounds);
        }

        /**
         * Writes as an integration or a browser sends them: JSON over HTTP/1.1 with the documented sign-in on
         * every request, one keep-alive connection per client, each answer awaited (201) before the next. The
         * clients run in this JVM, on the server's cores, so they use the JDK's blocking client
         * ({@link HttpURLConnection}): java.net.http's asynchronous client, with its selector and worker threads,
         * took twice that CPU (11.7% of the JVM's samples in a profiled run, against 5.5%). Their own CPU is printed
         * beside the server's.
         */
        private void liveHttp(int clients, int seconds, boolean measured) throws Exception {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            String base = "http://127.0.0.1:" + port + "/api/cases";
            String authorization = "Basic " + Base64.getEncoder()
                    .encodeToString("caseworker:caseworker".getBytes(StandardCharsets.UTF_8));
            AtomicLong nextCase = new AtomicLong();
            AtomicLong sent = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            // The first answers that were not 201, as status and body: a refusal is a finding, not a count.
            List<String> refusals = Collections.synchronizedList(new ArrayList<>());
            List<long[]> latencies = new ArrayList<>();
            resetPeakHeap();
            long cpuStarted = processCpuNanos();
            long compilingStarted = compilationMillis();
            long serverCpuStarted = requestThreadsCpuNanos();
            long databaseCpuStarted = databaseCpuNanos(store);
            long started = System.nanoTime();
            long deadline = started + seconds * 1_000_000_000L;
            AtomicLong clientsCpu = new AtomicLong();
            parallel(clients, () -> {
                long cpuAtStart = THREADS.getCurrentThreadCpuTime();
                long[] mine = new long[1 << 16];
                int n = 0;
                Instant opened = Instant.parse("2024-03-01T09:00:00Z");
                while (System.nanoTime() < deadline) {
                    long number = nextCase.getAndIncrement();
                    // A valid CPR number per case (serial 1xxx-3xxx: born in the 1900s); stored sealed.
                    String cpr = "%02d%02d%02d%04d".formatted(1 + number % 28, 1 + number / 28 % 12,
                                                             number / 336 % 100, 1000 + number % 3000);
                    String caseId = null;
                    for (int write = 0; write < 6 && System.nanoTime() < deadline; write++) {
                        String at = opened.plus(Duration.ofMinutes(write)).toString();
                        String path = write == 0 ? base : base + "/" + caseId + "/contacts";
                        byte[] body = (write == 0 ? """
                                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT",
                                 "municipality":"101","channel":"PHONE","unit":"contact-center",
                                 "occurredAt":"%s"}""".formatted(cpr, at) : """
                                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center",
                                 "purpose":"QUESTION","startedAt":"%s","endedAt":"%s"}""".formatted(at, at))
                                .getBytes(StandardCharsets.UTF_8);
                        long t = System.nanoTime();
                        HttpURLConnection request = (HttpURLConnection) URI.create(path).toURL().openConnection();
                        request.setRequestMethod("POST");
                        request.setDoOutput(true);
                        request.setRequestProperty("Authorization", authorization);
                        request.setRequestProperty("Content-Type", "application/json");
                        // Buffered, not streamed (setFixedLengthStreamingMode): headers and body then go out in one
                        // write, as a browser's small POST does; two writes doubled one client's p50 here.
                        try (OutputStream out = request.getOutputStream()) {
                            out.write(body);
                        }
                        int status = request.getResponseCode();
                        String answer;
                        // Read to the end and closed (not disconnected): the connection goes back for the next.
                        try (InputStream in = status < 400 ? request.getInputStream() : request.getErrorStream()) {
                            answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                        long took = System.nanoTime() - t;
                        if (status != 201) {
                            if (refused.incrementAndGet() <= 3) {
                                refusals.add(status + " POST " + URI.create(path).getPath() + ": "
                                                     + answer.substring(0, Math.min(answer.length(), 400)));
                            }
                            break;
                        }
                        if (write == 0) {
                            int from = answer.indexOf("\"caseId\":\"") + 10;
                            caseId = answer.substring(from, answer.indexOf('"', from));
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = took;
                        sent.incrementAndGet();
                    }
                }
                clientsCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, n));
                }
            });
            double took = seconds(started);
            // The clients' own HTTP work is in this JVM too: it is part of the figure.
            double cpuPerRequest = (processCpuNanos() - cpuStarted) / 1e3 / sent.get();
            double serverCpuPerRequest = (requestThreadsCpuNanos() - serverCpuStarted) / 1e3 / sent.get();
            double clientsCpuPerRequest = clientsCpu.get() / 1e3 / sent.get();
            String databaseCpu = databaseCpu(store, databaseCpuStarted, sent.get(), "request");
            long compiling = compilationMillis() - compilingStarted;
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double rate = sent.get() / took;
            double p50 = percentile(all, 0.50) / 1e6;
            double p99 = percentile(all, 0.99) / 1e6;
            boolean met = rate >= 1000 && p99 < 50;
            refusals.forEach(refusal -> progress("live HTTP, %d clients: answered %s", clients, refusal));
            if (!measured) {
                return;
            }
            rows.add(new Row(store, "live HTTP writes (POST /api/cases and …/contacts, HTTP Basic, %d keep-alive "
                    .formatted(clients) + "client%s, projections running)".formatted(clients == 1 ? "" : "s"),
                             "%,.0f requests/s, p50 %.1f ms, p99 %.1f ms".formatted(rate, p50, p99),
                             ("%,d requests = events in %.1f s%s; JVM CPU %.0f µs/request (clients included: "
                                     + "%.0f µs/request), Tomcat's request threads %.0f µs/request%s; JIT compiling "
                                     + "%,d ms")
                                     .formatted(sent.get(), took, refused.get() == 0 ? ""
                                             : ", %,d not 201".formatted(refused.get()), cpuPerRequest,
                                                clientsCpuPerRequest, serverCpuPerRequest, databaseCpu, compiling), "",
                             clients == 8 ? "≥ 1,000 requests/s, p99 < 50 ms: " + (met ? "met" : "MISSED") : "",
                             peakHeap()));
            progress("live HTTP, %d clients: %,.0f requests/s, p50 %.1f ms, p99 %.1f ms, JVM CPU %.0f µs/request, "
                     + "clients %.0f µs/request, request threads %.0f µs/request%s, JIT compiling %,d ms", clients, rate,
                     p50, p99, cpuPerRequest, clientsCpuPerRequest, serverCpuPerRequest, databaseCpu, compiling);
        }

        private List<StreamingEventProcessor> processors() {
            EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
            return PROCESSORS.stream().map(name -> processing.eventProcessor(name, StreamingEventProcessor.class)
                    .orElseThrow(() -> new IllegalStateException("no processor " + name))).toList();
        }

        private long headPosition() {
            TrackingToken head = app.getBean(EventStore.class).createHeadToken();
            return head == null ? -1 : head.position().orElse(-1);
        }

        private void awaitCaughtUp(long head, long started) throws InterruptedException {
            long lastPrinted = System.nanoTime();
            while (true) {
                long behind = 0;
                boolean ready = true;
                for (StreamingEventProcessor processor : processors()) {
                    Map<Integer, EventTrackerStatus> status = processor.processingStatus();
                    if (status.isEmpty()) {
                        ready = false;
                        continue;
                    }
                    for (EventTrackerStatus segment : status.values()) {
                        if (segment.isErrorState()) {
                            throw new IllegalStateException(processor.getName() + " failed",
                                                            segment.getError());
                        }
                        long position = segment.getCurrentPosition().orElse(-1);
                        behind = Math.max(behind, head - position);
                    }
                }
                if (ready && behind <= 0) {
                    return;
                }
                if (System.nanoTime() - lastPrinted > 15_000_000_000L) {
                    progress("rebuild: %,d events behind after %.0f s", behind, seconds(started));
                    lastPrinted = System.nanoTime();
                }
                Thread.sleep(100);
            }
        }

        private long count(String sql) throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private void execute(String sql) throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        private void progress(String format, Object... args) {
            System.out.printf("[%s] " + format + "%n", Stream.concat(Stream.of(store), Arrays.stream(args)).toArray());
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time of Tomcat's request threads (the whole server side of a request, command handling included). */
    private static long requestThreadsCpuNanos() {
        long total = 0;
        for (java.lang.management.ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith("http-nio-")
                    && thread.getThreadName().contains("-exec-")) {
                total += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    /**
     * ", PostgreSQL's processes N µs/event" when the store is a PostgreSQL server on this machine: its share of
     * the machine's CPU per write (every process named postgres counts, so keep other clusters idle meanwhile).
     */
    private static String databaseCpu(String store, long startedNanos, long writes, String unit) {
        long now = databaseCpuNanos(store);
        return startedNanos < 0 || now < 0 ? ""
                : ", PostgreSQL's processes %.0f µs/%s".formatted((now - startedNanos) / 1e3 / writes, unit);
    }

    /** CPU time of this machine's postgres processes, or -1 (not PostgreSQL, not local, no /proc). */
    private static long databaseCpuNanos(String store) {
        boolean local = pgBaseUrl().contains("//127.0.0.1") || pgBaseUrl().contains("//localhost");
        if (!store.equals("postgres") || !local) {
            return -1;
        }
        try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            long ticks = 0;
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ppid ... utime(14) stime(15): the fields after the command's ")".
                if (!stat.contains("(postgres)")) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException noProc) {
            return -1;
        }
    }

    /** CPU time of the whole JVM (H2 included; a PostgreSQL server's own time is not). */
    /** The JIT compilers' time so far (all compiler threads). */
    private static long compilationMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String caseId(long n) {
        return "sim-" + SEED + "-" + n;
    }

    private static Class<?> load(String type) {
        try {
            return Class.forName(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nearest rank on sorted values. */
    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String rate(double perSecond) {
        return "%,.0f events/s".formatted(perSecond);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    interface Work {
        void run() throws Exception;
    }

    private static void parallel(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void resetPeakHeap() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks since the last reset: an upper bound of the heap in use at any moment. */
    private static String peakHeap() {
        long bytes = ManagementFactory.getMemoryPoolMXBeans().stream()
                                      .filter(pool -> pool.getType() == MemoryType.HEAP)
                                      .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return "%,d MiB".formatted(bytes >> 20);
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** PostgreSQL for tokens and read models (a schema of its own, answered), Axon Server from AXONSERVER_ADDRESS. */
    private static String axonServerArguments(List<String> arguments) throws SQLException {
        String address = System.getenv("AXONSERVER_ADDRESS");
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("store axonserver needs AXONSERVER_ADDRESS=host:port of a running "
                                                       + "Axon Server (see axonserver/README.md)");
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = pgConnect(pgBaseUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        arguments.addAll(List.of("--spring.profiles.active=axonserver", "--axon.axonserver.servers=" + address,
                                 "--spring.datasource.url=" + pgUrl(schema), "--spring.datasource.username=" + pgUser(),
                                 "--spring.datasource.password=" + pgPassword(),
                                 "--ledger.security.allow-demo-users=true"));
        return schema;
    }

    private static String pgBaseUrl() {
        return System.getenv().getOrDefault("LEDGER_BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    private static String pgUrl(String schema) {
        String base = pgBaseUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String pgUser() {
        return System.getenv().getOrDefault("LEDGER_BENCH_DB_USER", "postgres");
    }

    private static String pgPassword() {
        return System.getenv().getOrDefault("LEDGER_BENCH_DB_PASSWORD", "");
    }

    private static Connection pgConnect(String url) throws SQLException {
        return DriverManager.getConnection(url, pgUser(), pgPassword());
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void print() {
        StringBuilder out = new StringBuilder();
        out.append("\n| store | measure | figure | basis | machine limit: ratio | target | peak heap |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(String.join(" | ", row.store, row.measure, row.figure, row.basis, row.ratio,
                                                row.target, row.heap)).append(" |\n");
        }
        out.append("\noptions: ").append(options).append(", ").append(Runtime.getRuntime().availableProcessors())
           .append(" cores, max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB, ")
           .append(System.getProperty("java.version")).append('\n');
        System.out.println(out);
    }

    private record Row(String store, String measure, String figure, String basis, String ratio, String target,
                       String heap) {

        Row against(double limit, String name, String targetText) {
            double value = Double.parseDouble(figure.replaceAll(" events/s.*", "").replace(",", ""));
            double share = value / limit;
            String verdict = targetText.startsWith("≥ ") && targetText.endsWith("%")
                    ? (share * 100 >= Double.parseDouble(targetText.substring(2, targetText.length() - 1))
                               ? ": met" : ": MISSED") : "";
            // No limit measured (Axon Server has no event table to insert into plainly): no ratio to print.
            String ratio = Double.isNaN(limit) ? "" : "%.0f%% of %s".formatted(share * 100, name);
            return new Row(store, measure, figure, basis, ratio,
                           targetText + verdict, heap);
        }
    }
}
