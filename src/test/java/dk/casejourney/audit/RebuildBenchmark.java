package dk.casejourney.audit;

import dk.casejourney.LedgerApplication;
import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Identifiers;
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
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rebuild and verification throughput on the embedded H2 store; a main class, not a test, so surefire never
 * runs it. Records {@code cases} journeys of 9 events each through the command gateway, rebuilds a read model
 * (replay, then the digest comparison) and verifies every hash chain, printing events per second.
 * {@code --interleaved} records the first event of every case, then the second of every case, and so on, as a
 * ledger written live over months lies (each case's events far apart, in as many replay batches as it has events
 * once there are more cases than a batch holds); without it each case's events lie together, as an import's do.
 * {@code --group=journey-figures} rebuilds that read model instead of case-views. {@code --verifications=N} verifies
 * the ledger N times, each printed with the JVM's CPU per event (the later rounds with the compilers' work done).
 *
 * <p>Run from the project root:
 * <pre>
 *   mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) dk.casejourney.audit.RebuildBenchmark 2000 [--interleaved] [--group=journey-figures] [--verifications=5]
 * </pre>
 */
public final class RebuildBenchmark {

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        boolean interleaved = List.of(args).contains("--interleaved");
        String group = List.of(args).stream().filter(arg -> arg.startsWith("--group=")).map(arg -> arg.substring(8))
                           .findFirst().orElse("case-views");
        int verifications = List.of(args).stream().filter(arg -> arg.startsWith("--verifications="))
                                .map(arg -> Integer.parseInt(arg.substring("--verifications=".length())))
                                .findFirst().orElse(1);
        Path dataDir = Files.createTempDirectory("rebuild-benchmark");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            CommandGateway commands = app.getBean(CommandGateway.class);
            QueryGateway queries = app.getBean(QueryGateway.class);

            long appendStart = System.nanoTime();
            if (interleaved) {
                for (int step = 0; step < 9; step++) {
                    for (int i = 0; i < cases; i++) {
                        record(commands, i, step);
                    }
                }
            } else {
                for (int i = 0; i < cases; i++) {
                    for (int step = 0; step < 9; step++) {
                        record(commands, i, step);
                    }
                }
            }
            double appendSeconds = (System.nanoTime() - appendStart) / 1e9;
            long events = cases * 9L;
            System.out.printf("appended %,d events (%,d cases) in %.1f s: %,.0f events/s (hash chain included)%n",
                              events, cases, appendSeconds, events / appendSeconds);

            String id = commands.sendAndWait(new StartRebuildCommand(group, Identifiers.random()));
            long rebuildStart = System.nanoTime();
            Rebuild rebuild;
            do {
                Thread.sleep(500);
                rebuild = queries.query(new FindRebuildQuery(group, id),
                                        ResponseTypes.optionalInstanceOf(Rebuild.class)).join().orElseThrow();
            } while (rebuild.phase() != Rebuild.Phase.DONE && rebuild.phase() != Rebuild.Phase.FAILED);
            double rebuildSeconds = (System.nanoTime() - rebuildStart) / 1e9;
            System.out.printf("rebuild of %s (%s): %s, %,d events replayed at %,.0f events/s; with copy and "
                                      + "verification %.1f s in all (%,.0f events/s); verification equal=%s%n",
                              group, interleaved ? "interleaved" : "cases together", rebuild.phase(),
                              rebuild.eventsDone(), rebuild.eventsPerSecond(), rebuildSeconds,
                              rebuild.eventsDone() / rebuildSeconds,
                              rebuild.verification() != null && rebuild.verification().equal());

            if (rebuild.verification() != null && !rebuild.verification().equal()) {
                System.out.println("DIFFERENT: " + rebuild.verification());
            }

            for (int round = 1; round <= verifications; round++) {
                long cpuBefore = processCpuNanos();
                LedgerVerification verification = app.getBean(ChainVerifier.class).verifyLedger(done -> {
                });
                double cpuMicros = (processCpuNanos() - cpuBefore) / 1_000.0 / Math.max(1, verification.eventsChecked());
                System.out.printf("ledger verification %d: valid=%s, %,d events in %,d ms: %,.0f events/s, "
                                          + "JVM CPU %.1f µs/event%n",
                                  round, verification.valid(), verification.eventsChecked(), verification.millis(),
                                  verification.eventsChecked() * 1000.0 / Math.max(1, verification.millis()),
                                  cpuMicros);
            }
        }
        // Axon leaves a non-daemon janitor thread behind after the context is closed.
        System.exit(0);
    }

    /** The JVM's CPU time, all its threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void record(CommandGateway commands, int i, int step) {
        String caseId = "bench-" + i;
        Instant t = Instant.parse("2024-03-04T07:00:00Z").plus(Duration.ofMinutes(i % 1000));
        String cpr = "0101%02d%04d".formatted(50 + i % 40, i % 10_000);
        switch (step) {
            case 0 -> commands.sendAndWait(new OpenCaseCommand(caseId, "e0", cpr, CitizenGroup.ELDERLY,
                                                               ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE,
                                                               "KBH-KC", t));
            case 1 -> commands.sendAndWait(new RecordContactCommand(caseId, "e1", Channel.PHONE, Direction.INBOUND,
                                                                    "KBH-KC", "cc-1", ContactPurpose.APPLICATION, null,
                                                                    t, t.plusSeconds(600)));
            case 2 -> commands.sendAndWait(new HandOverCaseCommand(caseId, "e2", "KBH-KC", "BS-NORD",
                                                                   HandoverReason.NEEDS_EXPERTISE, null,
                                                                   t.plusSeconds(900)));
            case 3 -> commands.sendAndWait(new RequestInformationCommand(caseId, "e3", InformationType.INCOME, null,
                                                                         "BS-NORD", t.plusSeconds(3600)));
            case 4 -> commands.sendAndWait(new ProvideInformationCommand(caseId, "e4", InformationType.INCOME,
                                                                         Channel.EMAIL, "BS-NORD", null,
                                                                         t.plusSeconds(86_400)));
            case 5 -> commands.sendAndWait(new HandOverCaseCommand(caseId, "e5", "BS-NORD", "BACK-HB",
                                                                   HandoverReason.AUTHORITY_ELSEWHERE, null,
                                                                   t.plusSeconds(90_000)));
            case 6 -> commands.sendAndWait(new RecordWorkCommand(caseId, "e6", "BACK-HB", "bo-3", "assess income",
                                                                 t.plusSeconds(172_800), t.plusSeconds(175_200)));
            case 7 -> commands.sendAndWait(new RecordDecisionCommand(caseId, "e7", DecisionOutcome.GRANTED, "BACK-HB",
                                                                     t.plusSeconds(176_000)));
            default -> commands.sendAndWait(new ResolveCaseCommand(caseId, "e8", "BACK-HB", t.plusSeconds(176_400)));
        }
    }
}
