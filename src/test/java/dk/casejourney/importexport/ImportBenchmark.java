package dk.casejourney.importexport;

import dk.casejourney.LedgerApplication;
import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.common.Identifiers;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import dk.casejourney.importexport.xes.XesEvent;
import dk.casejourney.importexport.xes.XesReader;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesValue;
import dk.casejourney.importexport.xes.XesWriter;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.queryhandling.QueryGateway;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;

/**
 * Import speed and memory, on the embedded H2 store; a main class, not a test, so surefire never runs it.
 * Imports each log given (default: the receipt log), then optionally a synthesized log of {@code --synthetic=N}
 * events (seeded, gzip, traces of 2-14 events across daylight-saving changes), each into a fresh ledger (one
 * Spring context each, started before the clock runs: JVM and context start-up are not counted), and prints per
 * log: events/s, the process's CPU time during the import (the machine is shared: CPU seconds per event compare
 * across loads better than wall time), the peak heap used (sampled every 20 ms) and the process's peak RSS, how
 * long after the import every read model had reached the head of the ledger, and the machine's own limit for
 * the same file: one streaming read of it with {@link dk.casejourney.importexport.xes.XesReader} (no storing), once
 * before the ledger starts and, warm, the fastest of three after the rounds.
 * {@code --rounds=N} imports each log N times into the same ledger, under a source of its own each time (so the
 * cases are new): the first round is the cold one a command-line import sees, later rounds show the warmed-up
 * cost. {@code --traces-per-batch=N} overrides the mapping's batch size. {@code --read-models-after} stops the read
 * models' processors during the import and starts them after it: the recording's own cost, then the read models'
 * catching up alone (in whole batches), where the default shows both sharing the cores as a command-line import does.
 * On Linux each round also prints where the process's CPU went, by thread group ({@link ThreadCpu}: the import's
 * threads, the read models', the compilers, the collector, H2's writers, the file's reader): what bounds the import,
 * without a profiler. It also prints what H2 wrote to its file meanwhile: its stores (one per durable commit or
 * group of them, and the background writer's), the bytes written and per ledger entry. Each store writes every
 * page changed since the one before whole, so the bytes are several times the rows' own (docs/benchmarks.md).
 *
 * <p>Run from the project root (the heap limit makes "memory flat in the size of the file" visible):
 * <pre>
 *   mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -Xmx512m -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *        dk.casejourney.importexport.ImportBenchmark ../shared/data/receipt.xes.gz [more.xes.gz ...] [--synthetic=1000000] \\
 *        [--rounds=3] [--traces-per-batch=N] [--read-models-after]
 * </pre>
 */
public final class ImportBenchmark {

    /** Imports of each log into the same ledger (each under a source of its own): the first is the cold one. */
    private static int rounds = 1;
    private static Integer tracesPerBatch;
    /** The read models stopped during the import and started after it: they catch up in whole batches. */
    private static boolean readModelsAfter;

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> logs = new ArrayList<>();
        int events = 0;
        for (String arg : args) {
            if (arg.startsWith("--synthetic=")) {
                events = Integer.parseInt(arg.substring("--synthetic=".length()));
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else if (arg.equals("--read-models-after")) {
                readModelsAfter = true;
            } else if (arg.startsWith("--traces-per-batch=")) {
                tracesPerBatch = Integer.valueOf(arg.substring("--traces-per-batch=".length()));
            } else {
                logs.add(Path.of(arg));
            }
        }
        if (logs.isEmpty()) {
            logs.add(Path.of("../shared/data/receipt.xes.gz"));
        }
        System.out.printf("bench: %d cores, max heap %,d MB, %s, load %s%n",
                          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                          System.getProperty("java.version"), loadAverage());
        for (Path log : logs) {
            run(log.getFileName().toString(), log);
        }
        if (events > 0) {
            Path synthetic = Files.createTempFile("synthetic-", ".xes.gz");
            long started = System.nanoTime();
            long[] written = synthesize(synthetic, events, 42);
            System.out.printf("bench: synthesized %,d traces, %,d events, %,d bytes (gzip) in %.1f s%n", written[0],
                              written[1], Files.size(synthetic), (System.nanoTime() - started) / 1e9);
            run("synthetic log", synthetic);
            Files.deleteIfExists(synthetic);
        }
        System.out.printf("bench: peak RSS of the process %,d MB; load %s%n", peakRssKb() >> 10, loadAverage());
        System.exit(0);
    }

    private static void run(String label, Path file) throws Exception {
        // One pass before the ledger starts, as always: the import's first round meets the parser as it did.
        double readSeconds = readAlone(file, 1).seconds();
        double lastImport = 0;
        Path dataDir = Files.createTempDirectory("import-benchmark");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            LogImporter importer = app.getBean(LogImporter.class);
            QueryGateway queries = app.getBean(QueryGateway.class);
            for (int round = 1; round <= rounds; round++) {
                String loadBefore = loadAverage();
                System.gc();
                long baseline = heapUsed();
                AtomicLong peak = new AtomicLong(baseline);
                // Null until the import starts; null throughout where the threads' CPU cannot be read (not Linux).
                AtomicReference<ThreadCpu> threads = new AtomicReference<>();
                Thread sampler = new Thread(() -> {
                    // The heap every 20 ms, the threads' CPU every 100 ms (so a thread that ends loses at most that).
                    for (long tick = 0; !Thread.currentThread().isInterrupted(); tick++) {
                        peak.accumulateAndGet(heapUsed(), Math::max);
                        if (tick % 5 == 0 && threads.get() != null) {
                            threads.get().sample();
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.setDaemon(true);
                sampler.start();
                long size = Files.size(file);
                long[] lastPrint = {System.nanoTime()};
                List<StreamingEventProcessor> processors = app.getBean(EventProcessingConfiguration.class)
                        .eventProcessors().values().stream()
                        .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                        .toList();
                if (readModelsAfter) {
                    processors.forEach(StreamingEventProcessor::shutDown);
                }
                long[] h2Before = h2Writes(app);
                long cpuBefore = processCpuNanos();
                threads.set(ThreadCpu.start());
                ImportReport report = importer.importLog(Identifiers.random(), file.getFileName().toString(),
                                                         () -> Files.newInputStream(file), size, mapping(label, round),
                                                         progress -> {
                                                             if (System.nanoTime() - lastPrint[0] > 10_000_000_000L) {
                                                                 lastPrint[0] = System.nanoTime();
                                                                 System.out.printf("bench:   %d%% of the file, %,d events, %,.0f events/s%n",
                                                                                   progress.bytesRead() * 100 / size,
                                                                                   progress.eventsImported(),
                                                                                   progress.eventsPerSecond());
                                                             }
                                                         });
                double importCpu = (processCpuNanos() - cpuBefore) / 1e9;
                long importPeak = peak.get();
                long started = System.nanoTime();
                if (readModelsAfter) {
                    processors.forEach(StreamingEventProcessor::start);
                }
                long head = -1;
                while (true) {
                    ProjectionList list = queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
                    head = list.head() == null ? -1 : list.head();
                    if (list.projections().stream().allMatch(projection -> Long.valueOf(0).equals(projection.lag()))) {
                        break;
                    }
                    Thread.sleep(20);
                }
                double catchUp = (System.nanoTime() - started) / 1e9;
                double catchUpCpu = (processCpuNanos() - cpuBefore) / 1e9 - importCpu;
                sampler.interrupt();
                sampler.join();
                double seconds = report.durationMs() / 1000.0;
                System.out.printf("bench: %s: %s, %,d cases, %,d events (%,d ledger entries, head %,d)%n"
                                          + "bench:   import %.2f s = %,.0f events/s (%,.0f ledger entries/s), process CPU %.2f s "
                                          + "(%,.0f events per CPU second)%n"
                                          + "bench:   every read model at the head %.2f s after the import (CPU %.2f s): "
                                          + "import + read models %.2f s%n"
                                          + "bench:   heap used %,d MB before, peak %,d MB until caught up (max heap %,d MB); "
                                          + "peak RSS so far %,d MB%n"
                                          + "bench:   limit: the same file read alone (XesReader, same JVM, one pass before the ledger started) %.2f s = %,.0f events/s; "
                                          + "import + read models = %.1f x that; load %s / %s%n",
                                  label + (rounds > 1 ? " round " + round : ""), report.status(), report.casesImported(), report.eventsImported(),
                                  report.entriesRecorded(), head, seconds, report.eventsPerSecond(),
                                  report.entriesRecorded() / seconds, importCpu, report.eventsImported() / importCpu,
                                  catchUp, catchUpCpu, seconds + catchUp, baseline >> 20, peak.get() >> 20,
                                  Runtime.getRuntime().maxMemory() >> 20, peakRssKb() >> 10, readSeconds,
                                  report.eventsImported() / readSeconds, (seconds + catchUp) / readSeconds, loadBefore,
                                  loadAverage());
                long[] h2After = h2Writes(app);
                if (h2After != null && h2Before != null) {
                    System.out.printf("bench:   H2's file over import and catch-up: %,d stores, %,d writes, %,.1f MB written "
                                              + "(%,.0f bytes per ledger entry), the file %,.1f MB larger%n",
                                      h2After[0] - h2Before[0], h2After[1] - h2Before[1],
                                      (h2After[2] - h2Before[2]) / 1e6,
                                      (h2After[2] - h2Before[2]) / (double) Math.max(1, report.entriesRecorded()),
                                      (h2After[3] - h2Before[3]) / 1e6);
                }
                if (threads.get() != null) {
                    System.out.printf("bench:   CPU by thread over import and catch-up (%.2f s in all): %s%n",
                                      importCpu + catchUpCpu, threads.get().summary(importCpu + catchUpCpu));
                }
                lastImport = seconds + catchUp;
            }
        } finally {
            deleteRecursively(dataDir);
        }
        Pass warm = readAlone(file, 3);
        System.out.printf("bench: %s: limit, warm: the same file read alone after the rounds, the fastest of 3 passes, "
                                  + "%.2f s = %,.0f events/s; the last round's import + read models = %.1f x that%n",
                          label, warm.seconds(), warm.events() / warm.seconds(), lastImport / warm.seconds());
    }

    /**
     * The embedded store's stores (versions), file writes, bytes written and file size so far; null on another
     * store. The bytes have no public accessor in H2 2.3, so they are read from its counter's field.
     */
    private static long[] h2Writes(ConfigurableApplicationContext app) {
        try (Connection connection = app.getBean(DataSource.class).getConnection()) {
            MVStore store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase()
                    .getStore().getMvStore();
            FileStore<?> file = store.getFileStore();
            Field written = FileStore.class.getDeclaredField("writeBytes");
            written.setAccessible(true);
            return new long[] {store.getCurrentVersion(), file.getWriteCount(), ((AtomicLong) written.get(file)).get(),
                               file.size()};
        } catch (Exception e) {
            return null;
        }
    }

    /** The ledger of a run is temporary (hundreds of MB for a large log). */
    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static ImportMapping mapping(String label, int round) {
        return new ImportMapping(rounds > 1 ? label + " #" + round : null, null, null, null, null, null, null, null,
                                 null, null, null, null, null, null, tracesPerBatch).withDefaults();
    }

    /**
     * Streaming passes over the file, parsing every trace: what a process-mining tool's reader does; the fastest
     * pass's seconds. A single pass in a young JVM ran at about half the rate of a third one (docs/benchmarks.md,
     * twenty-eighth session), so the warm limit is measured after the rounds, where it cannot warm up the import.
     */
    private static Pass readAlone(Path file, int passes) throws Exception {
        double fastest = Double.MAX_VALUE;
        long[] events = new long[1];
        for (int pass = 0; pass < passes; pass++) {
            events[0] = 0;
            long started = System.nanoTime();
            try (InputStream in = Files.newInputStream(file)) {
                new XesReader().read(in, (trace, progress) -> events[0] += trace.events().size());
            }
            fastest = Math.min(fastest, (System.nanoTime() - started) / 1e9);
        }
        return new Pass(fastest, events[0]);
    }

    /** A read of the file alone: its seconds and the events it held. */
    private record Pass(double seconds, long events) {
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** VmHWM of /proc/self/status (Linux): the process's peak resident set so far; -1 elsewhere. */
    private static long peakRssKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(line -> line.startsWith("VmHWM:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                        .findFirst().orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    /** A seeded log: six units, twenty activities, forty resources, cases opened over 2022-2023. */
    static long[] synthesize(Path file, int events, long seed) throws Exception {
        Random random = new Random(seed);
        ZonedDateTime start = ZonedDateTime.of(2022, 1, 3, 8, 0, 0, 0, ZoneId.of("Europe/Copenhagen"));
        long traces = 0;
        long written = 0;
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
             XesWriter writer = new XesWriter(out)) {
            writer.startLog(Map.of(XesEvent.ACTIVITY, XesValue.string("synthetic benchmark log")));
            while (written < events) {
                int length = (int) Math.min(events - written, 2 + random.nextInt(13));
                ZonedDateTime at = start.plusMinutes(random.nextInt(2 * 365 * 24 * 60));
                String unit = "Unit " + (1 + random.nextInt(6));
                List<XesEvent> trace = new ArrayList<>(length);
                for (int i = 0; i < length; i++) {
                    if (random.nextInt(3) == 0) {
                        unit = "Unit " + (1 + random.nextInt(6));
                    }
                    at = at.plusSeconds(60 + random.nextInt(3 * 24 * 3600));
                    Map<String, XesValue> attributes = new LinkedHashMap<>();
                    attributes.put(XesEvent.ACTIVITY, XesValue.string("Activity " + (1 + random.nextInt(20))));
                    attributes.put(XesEvent.GROUP, XesValue.string(unit));
                    attributes.put(XesEvent.RESOURCE, XesValue.string("Resource" + (1 + random.nextInt(40))));
                    attributes.put(XesEvent.TIMESTAMP, XesValue.date(OffsetDateTime.from(at.withNano(
                            random.nextInt(1000) * 1_000_000))));
                    attributes.put(XesEvent.LIFECYCLE, XesValue.string("complete"));
                    trace.add(new XesEvent(attributes));
                }
                Map<String, XesValue> traceAttributes = new LinkedHashMap<>();
                traceAttributes.put(XesEvent.ACTIVITY, XesValue.string("case-" + traces));
                traceAttributes.put("channel", XesValue.string(random.nextBoolean() ? "Internet" : "Desk"));
                writer.writeTrace(XesTrace.of(traceAttributes, trace));
                traces++;
                written += length;
            }
            writer.endLog();
        }
        return new long[] {traces, written};
    }
}
