package dk.casejourney.operations;

import dk.casejourney.common.Identifiers;
import dk.casejourney.privacy.api.CitizenKeyFiles;

import dk.casejourney.LedgerApplication;
import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.audit.api.VerifyLedgerQuery;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Backup and restore of a large embedded ledger, timed (not a test: run it by hand, figures in docs/operations.md).
 * {@code java -cp target/test-classes:target/classes:<test classpath> dk.casejourney.operations.BackupBenchmark
 * DATA_DIR EVENTS}: fills DATA_DIR (kept, and topped up on the next run) with synthetic cases of 11 events
 * through bulk recording until it holds EVENTS events, lets the projections catch up, takes a backup with
 * {@code --backup}'s code while one client keeps writing, then restores it next to DATA_DIR, starts the ledger on
 * it and verifies the chains.
 */
final class BackupBenchmark {

    private static final PrintStream OUT = System.out;
    private static final Instant T0 = Instant.parse("2023-01-02T08:00:00Z");

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        long target = Long.parseLong(args[1]);
        Path work = dataDir.resolveSibling(dataDir.getFileName() + "-work");
        Path backups = work.resolve("backups");
        Path restored = work.resolve("restored");
        deleteTree(work);
        Path backup;
        try (ConfigurableApplicationContext ledger = start(dataDir, work)) {
            JdbcClient jdbc = ledger.getBean(JdbcClient.class);
            long events = count(jdbc);
            if (events < target) {
                fill(ledger, jdbc, events, target);
            }
            long started = System.nanoTime();
            awaitCaughtUp(ledger.getBean(QueryGateway.class), Duration.ofMinutes(60));
            OUT.printf("projections caught up in %.1f s%n", seconds(started));
            OUT.printf("data directory: %,d events, ledger.mv.db %,d bytes%n", count(jdbc),
                       Files.size(dataDir.resolve("ledger.mv.db")));

            CommandGateway commands = ledger.getBean(CommandGateway.class);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                int n = 0;
                while (writing.get()) {
                    String caseId = Identifiers.random();
                    for (CaseCommand command : journey(caseId, n++)) {
                        commands.sendAndWait(command);
                        written.incrementAndGet();
                    }
                }
            });
            writer.start();
            Thread.sleep(2000);
            long before = written.get();
            String port = ledger.getEnvironment().getProperty("local.server.port");
            BackupCommandLine.Settings settings = new BackupCommandLine.Settings(
                    ledger.getEnvironment().getProperty("spring.datasource.url"), "sa", "",
                    "http://127.0.0.1:" + port, "admin", "admin",
                    CitizenKeyFiles.directory(ledger.getEnvironment().getProperty("ledger.data-dir"), null));
            started = System.nanoTime();
            int status = BackupCommandLine.run(backups, settings, OUT);
            double backupSeconds = seconds(started);
            long during = written.get() - before;
            writing.set(false);
            writer.join();
            if (status != 0) {
                throw new IllegalStateException("backup failed");
            }
            try (Stream<Path> files = Files.list(backups)) {
                backup = files.filter(f -> f.toString().endsWith(".zip")).findFirst().orElseThrow();
            }
            OUT.printf("BACKUP: %,d bytes in %.1f s (command to file), %,d commands written meanwhile%n",
                       Files.size(backup), backupSeconds, during);
        }
        long started = System.nanoTime();
        unzip(backup, restored);
        double unzipSeconds = seconds(started);
        started = System.nanoTime();
        try (ConfigurableApplicationContext ledger = start(restored, work)) {
            double startSeconds = seconds(started);
            awaitCaughtUp(ledger.getBean(QueryGateway.class), Duration.ofMinutes(30));
            double caughtUpSeconds = seconds(started);
            OUT.printf("RESTORE: unzip %.1f s, start %.1f s, read models caught up %.1f s after start began; "
                               + "%,d events%n", unzipSeconds, startSeconds, caughtUpSeconds,
                       count(ledger.getBean(JdbcClient.class)));
            started = System.nanoTime();
            LedgerVerification verification = ledger.getBean(QueryGateway.class)
                    .query(new VerifyLedgerQuery(), LedgerVerification.class).join();
            OUT.printf("VERIFY: %s, %,d cases, %,d events in %.1f s%n", verification.valid() ? "valid" : "BROKEN",
                       verification.casesChecked(), verification.eventsChecked(), seconds(started));
        }
        System.exit(0);
    }

    private static ConfigurableApplicationContext start(Path dataDir, Path work) {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off",
                     "--logging.level.root=WARN", "--ledger.operations.backup-work-dir=" + work.resolve("tmp"));
    }

    private static void fill(ConfigurableApplicationContext ledger, JdbcClient jdbc, long from, long target)
            throws InterruptedException {
        Configuration axon = ledger.getBean(Configuration.class);
        axon.eventProcessingConfiguration().eventProcessors().values().stream()
            .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
            .forEach(StreamingEventProcessor::shutDown);
        BulkRecording bulk = ledger.getBean(BulkRecording.class);
        AtomicLong recorded = new AtomicLong(from);
        AtomicLong next = new AtomicLong(from / 11);
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                while (recorded.get() < target) {
                    long first = next.getAndAdd(50);
                    List<CaseCommand> batch = new ArrayList<>();
                    for (long n = first; n < first + 50; n++) {
                        batch.addAll(journey("bench-" + n + "-" + Identifiers.random(), n));
                    }
                    bulk.record("benchmark", batch);
                    long done = recorded.addAndGet(batch.size());
                    if ((first / 50) % 100 == 0) {
                        OUT.printf("filling: %,d of %,d events, %,.0f events/s%n", done, target,
                                   (done - from) / seconds(started));
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        OUT.printf("filled to %,d events in %.1f s%n", count(jdbc), seconds(started));
        axon.eventProcessingConfiguration().eventProcessors().values().forEach(p -> p.start());
    }

    /** Eleven events: opened, contact, handover, information asked and given, work, decision, resolved. */
    private static List<CaseCommand> journey(String caseId, long n) {
        Instant at = T0.plus(Duration.ofMinutes(n % 500_000));
        return List.of(
                new OpenCaseCommand(caseId, "open", "0101801234", CitizenGroup.values()[(int) (n % 5)],
                                    ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", at),
                new RecordContactCommand(caseId, "c1", Channel.PHONE, Direction.INBOUND, "KBH-KC", "s1",
                                         ContactPurpose.APPLICATION, at.minusSeconds(300), at,
                                         at.plusSeconds(600)),
                new HandOverCaseCommand(caseId, "h1", "KBH-KC", "KBH-BO-YDELSE", HandoverReason.NEEDS_EXPERTISE, null,
                                        at.plusSeconds(900)),
                new RequestInformationCommand(caseId, "r1", InformationType.INCOME, LocalDate.of(2030, 1, 1),
                                              "KBH-BO-YDELSE", at.plusSeconds(1200)),
                new ProvideInformationCommand(caseId, "p1", InformationType.INCOME, Channel.EMAIL, "KBH-BO-YDELSE",
                                              "r1", at.plusSeconds(86_400)),
                new RecordWorkCommand(caseId, "w1", "KBH-BO-YDELSE", "bo-1", "assess", at.plusSeconds(90_000),
                                      at.plusSeconds(92_000), null, Map.of()),
                new RecordContactCommand(caseId, "c2", Channel.LETTER, Direction.OUTBOUND, "KBH-BO-YDELSE", "bo-1",
                                         ContactPurpose.DOCUMENTATION, null, at.plusSeconds(93_000),
                                         at.plusSeconds(93_000)),
                new RecordWorkCommand(caseId, "w2", "KBH-BO-YDELSE", "bo-1", "decide", at.plusSeconds(94_000),
                                      at.plusSeconds(95_000), null, Map.of()),
                new RecordDecisionCommand(caseId, "d1", DecisionOutcome.GRANTED, "KBH-BO-YDELSE",
                                          at.plusSeconds(95_100)),
                new RecordContactCommand(caseId, "c3", Channel.EMAIL, Direction.OUTBOUND, "KBH-BO-YDELSE", "bo-1",
                                         ContactPurpose.GUIDANCE, null, at.plusSeconds(95_200),
                                         at.plusSeconds(95_200)),
                new ResolveCaseCommand(caseId, "res", "KBH-BO-YDELSE", at.plusSeconds(95_300)));
    }

    private static long count(JdbcClient jdbc) {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
    }

    private static void awaitCaughtUp(QueryGateway queries, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            ProjectionList list = queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
            if (list.projections().stream().allMatch(p -> p.lag() != null && p.lag() == 0)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("projections did not catch up");
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void unzip(Path zip, Path directory) throws IOException {
        Files.createDirectories(directory);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Files.copy(entries, directory.resolve(Path.of(entry.getName()).getFileName()));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
