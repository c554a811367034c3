package dk.casejourney.audit;

import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.util.List;
import java.util.UUID;

/**
 * The command-line side of the audit: {@code --verify-ledger} recomputes every case's hash chain,
 * {@code --rebuild=<processing group>} rebuilds a projection; both print progress and a summary and exit
 * (status 0 when all is well). Run them with the server stopped, or with
 * {@code --spring.main.web-application-type=none} next to a running one for verification only.
 */
@Component
class AuditCommandLine implements ApplicationRunner {

    private final ChainVerifier verifier;
    private final Rebuilds rebuilds;
    private final CommandGateway commands;
    private final ConfigurableApplicationContext context;
    private final PrintStream out = System.out;

    AuditCommandLine(ChainVerifier verifier, Rebuilds rebuilds, CommandGateway commands,
                     ConfigurableApplicationContext context) {
        this.verifier = verifier;
        this.rebuilds = rebuilds;
        this.commands = commands;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        int status;
        if (args.containsOption("verify-ledger")) {
            status = verifyLedger();
        } else if (args.containsOption("rebuild")) {
            List<String> groups = args.getOptionValues("rebuild");
            status = 0;
            for (String group : groups) {
                status = Math.max(status, rebuild(group));
            }
        } else {
            return;
        }
        int exit = status;
        System.exit(SpringApplication.exit(context, () -> exit));
    }

    private int verifyLedger() {
        out.println("Verifying the hash chains of the ledger ...");
        LedgerVerification result = verifier.verifyLedger(events -> out.printf("  %,d events checked%n", events));
        out.printf("%s: %,d cases, %,d events in %,d ms; %,d broken%n", result.valid() ? "VALID" : "BROKEN",
                   result.casesChecked(), result.eventsChecked(), result.millis(), result.brokenCases());
        result.broken().forEach(broken -> out.printf("  case %s: sequence %d, event %s: %s (%s)%n", broken.caseId(),
                                                     broken.firstBrokenLink().sequenceNumber(),
                                                     broken.firstBrokenLink().eventId(),
                                                     broken.firstBrokenLink().reason(),
                                                     broken.firstBrokenLink().detail()));
        return result.valid() ? 0 : 1;
    }

    private int rebuild(String group) throws InterruptedException {
        String id = commands.sendAndWait(new StartRebuildCommand(group, UUID.randomUUID().toString()));
        out.printf("Rebuilding %s (rebuild %s) ...%n", group, id);
        Rebuild rebuild = rebuilds.handle(new FindRebuildQuery(group, id)).orElseThrow();
        while (rebuild.phase() != Rebuild.Phase.DONE && rebuild.phase() != Rebuild.Phase.FAILED) {
            Thread.sleep(1000);
            rebuild = rebuilds.handle(new FindRebuildQuery(group, id)).orElseThrow();
            out.printf("  %s %,d of %,d events, %,.0f events/s, %s s left%n", rebuild.phase(), rebuild.eventsDone(),
                       rebuild.eventsTotal(), rebuild.eventsPerSecond(), rebuild.secondsLeft());
        }
        if (rebuild.phase() == Rebuild.Phase.FAILED) {
            out.println("FAILED: " + rebuild.error());
            return 2;
        }
        Rebuild.Verification verification = rebuild.verification();
        out.printf("%s: rebuilt %,d events at %,.0f events/s; %,d cases left out of the comparison%n",
                   verification.equal() ? "EQUAL" : "DIFFERENT", rebuild.eventsTotal(), rebuild.eventsPerSecond(),
                   verification.excludedCases());
        verification.tables().forEach(table -> out.printf("  %s: %,d rows before, %,d after, %s%s%n", table.table(),
                                                          table.rowsBefore(), table.rowsAfter(),
                                                          table.equal() ? "equal" : "different",
                                                          table.differences().isEmpty() ? ""
                                                                  : " " + table.differences()));
        return verification.equal() ? 0 : 1;
    }
}
