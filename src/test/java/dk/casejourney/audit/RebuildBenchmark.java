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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Rebuild and verification throughput on the embedded H2 store; a main class, not a test, so surefire never
 * runs it. Records {@code cases} journeys of 9 events each through the command gateway, rebuilds case-views
 * (replay, then the digest comparison) and verifies every hash chain, printing events per second.
 *
 * <p>Run from the project root:
 * <pre>
 *   mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) dk.casejourney.audit.RebuildBenchmark 2000
 * </pre>
 */
public final class RebuildBenchmark {

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dataDir = Files.createTempDirectory("rebuild-benchmark");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            CommandGateway commands = app.getBean(CommandGateway.class);
            QueryGateway queries = app.getBean(QueryGateway.class);

            long appendStart = System.nanoTime();
            for (int i = 0; i < cases; i++) {
                record(commands, i);
            }
            double appendSeconds = (System.nanoTime() - appendStart) / 1e9;
            long events = cases * 9L;
            System.out.printf("appended %,d events (%,d cases) in %.1f s: %,.0f events/s (hash chain included)%n",
                              events, cases, appendSeconds, events / appendSeconds);

            String id = commands.sendAndWait(new StartRebuildCommand("case-views", Identifiers.random()));
            long rebuildStart = System.nanoTime();
            Rebuild rebuild;
            do {
                Thread.sleep(500);
                rebuild = queries.query(new FindRebuildQuery("case-views", id),
                                        ResponseTypes.optionalInstanceOf(Rebuild.class)).join().orElseThrow();
            } while (rebuild.phase() != Rebuild.Phase.DONE && rebuild.phase() != Rebuild.Phase.FAILED);
            double rebuildSeconds = (System.nanoTime() - rebuildStart) / 1e9;
            System.out.printf("rebuild of case-views: %s, %,d events replayed at %,.0f events/s; with copy and "
                                      + "verification %.1f s in all (%,.0f events/s); verification equal=%s%n",
                              rebuild.phase(), rebuild.eventsDone(), rebuild.eventsPerSecond(), rebuildSeconds,
                              rebuild.eventsDone() / rebuildSeconds,
                              rebuild.verification() != null && rebuild.verification().equal());

            LedgerVerification verification = app.getBean(ChainVerifier.class).verifyLedger(done -> {
            });
            System.out.printf("ledger verification: valid=%s, %,d events in %,d ms: %,.0f events/s%n",
                              verification.valid(), verification.eventsChecked(), verification.millis(),
                              verification.eventsChecked() * 1000.0 / Math.max(1, verification.millis()));
        }
        // Axon leaves a non-daemon janitor thread behind after the context is closed.
        System.exit(0);
    }

    private static void record(CommandGateway commands, int i) {
        String caseId = "bench-" + i;
        Instant t = Instant.parse("2024-03-04T07:00:00Z").plus(Duration.ofMinutes(i % 1000));
        String cpr = "0101%02d%04d".formatted(50 + i % 40, i % 10_000);
        commands.sendAndWait(new OpenCaseCommand(caseId, "e0", cpr, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                                 "101", Channel.PHONE, "KBH-KC", t));
        commands.sendAndWait(new RecordContactCommand(caseId, "e1", Channel.PHONE, Direction.INBOUND, "KBH-KC", "cc-1",
                                                      ContactPurpose.APPLICATION, null, t, t.plusSeconds(600)));
        commands.sendAndWait(new HandOverCaseCommand(caseId, "e2", "KBH-KC", "BS-NORD", HandoverReason.NEEDS_EXPERTISE,
                                                     null, t.plusSeconds(900)));
        commands.sendAndWait(new RequestInformationCommand(caseId, "e3", InformationType.INCOME, null, "BS-NORD",
                                                           t.plusSeconds(3600)));
        commands.sendAndWait(new ProvideInformationCommand(caseId, "e4", InformationType.INCOME, Channel.EMAIL,
                                                           "BS-NORD", null, t.plusSeconds(86_400)));
        commands.sendAndWait(new HandOverCaseCommand(caseId, "e5", "BS-NORD", "BACK-HB",
                                                     HandoverReason.AUTHORITY_ELSEWHERE, null, t.plusSeconds(90_000)));
        commands.sendAndWait(new RecordWorkCommand(caseId, "e6", "BACK-HB", "bo-3", "assess income",
                                                   t.plusSeconds(172_800), t.plusSeconds(175_200)));
        commands.sendAndWait(new RecordDecisionCommand(caseId, "e7", DecisionOutcome.GRANTED, "BACK-HB",
                                                       t.plusSeconds(176_000)));
        commands.sendAndWait(new ResolveCaseCommand(caseId, "e8", "BACK-HB", t.plusSeconds(176_400)));
    }
}
