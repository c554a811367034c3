package dk.casejourney.importexport;

import dk.casejourney.LedgerApplication;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import dk.casejourney.importexport.xes.XesEvent;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesValue;
import dk.casejourney.importexport.xes.XesWriter;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Import speed and peak heap, on the embedded H2 store; a main class, not a test, so surefire never runs it.
 * Imports the receipt log, then a synthesized log of {@code events} events (seeded, gzip, traces of 2-14 events
 * across daylight-saving changes), each into a fresh ledger, and prints events/s and the peak heap used (sampled
 * every 50 ms) during the import, and when the journey-figures projection had caught up.
 *
 * <p>Run from the project root (the heap limit makes "memory flat in the size of the file" visible):
 * <pre>
 *   mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -Xmx512m -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *        dk.casejourney.importexport.ImportBenchmark ../shared/data/receipt.xes.gz 1000000
 * </pre>
 */
public final class ImportBenchmark {

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path receipt = Path.of(args.length > 0 ? args[0] : "../shared/data/receipt.xes.gz");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        run("receipt log", receipt);
        Path synthetic = Files.createTempFile("synthetic-", ".xes.gz");
        long started = System.nanoTime();
        long[] written = synthesize(synthetic, events, 42);
        System.out.printf("bench: synthesized %,d traces, %,d events, %,d bytes (gzip) in %.1f s%n", written[0],
                          written[1], Files.size(synthetic), (System.nanoTime() - started) / 1e9);
        run("synthetic log", synthetic);
        Files.deleteIfExists(synthetic);
        System.exit(0);
    }

    private static void run(String label, Path file) throws Exception {
        Path dataDir = Files.createTempDirectory("import-benchmark");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            LogImporter importer = app.getBean(LogImporter.class);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            System.gc();
            long baseline = heapUsed();
            AtomicLong peak = new AtomicLong(baseline);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(heapUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long size = Files.size(file);
            long[] lastPrint = {System.nanoTime()};
            ImportReport report = importer.importLog(UUID.randomUUID().toString(), file.getFileName().toString(),
                                                     () -> Files.newInputStream(file), size, ImportMapping.defaults(),
                                                     progress -> {
                                                         if (System.nanoTime() - lastPrint[0] > 10_000_000_000L) {
                                                             lastPrint[0] = System.nanoTime();
                                                             System.out.printf("bench:   %d%% of the file, %,d events, %,.0f events/s%n",
                                                                               progress.bytesRead() * 100 / size,
                                                                               progress.eventsImported(),
                                                                               progress.eventsPerSecond());
                                                         }
                                                     });
            sampler.interrupt();
            long importPeak = peak.get();
            long started = System.nanoTime();
            while (jdbc.sql("SELECT COUNT(*) FROM journey_case").query(Long.class).single() < report.casesImported()) {
                Thread.sleep(200);
            }
            double catchUp = (System.nanoTime() - started) / 1e9;
            System.out.printf("bench: %s: %s, %,d cases, %,d events (%,d ledger entries) in %.1f s = %,.0f events/s "
                                      + "(%,.0f ledger entries/s); heap used: %,d MB before, peak %,d MB during the "
                                      + "import (max heap %,d MB); journey figures caught up %.1f s after the import%n",
                              label, report.status(), report.casesImported(), report.eventsImported(),
                              report.entriesRecorded(), report.durationMs() / 1000.0, report.eventsPerSecond(),
                              report.entriesRecorded() / (report.durationMs() / 1000.0), baseline >> 20,
                              importPeak >> 20, Runtime.getRuntime().maxMemory() >> 20, catchUp);
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
