package dk.casejourney.audit;

import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Identifiers;
import dk.casejourney.common.RuleViolation;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.util.List;

/**
 * The command-line side of the audit: {@code --verify-ledger} recomputes every case's hash chain,
 * {@code --rebuild=<processing group>} rebuilds a projection; both print progress and a summary and exit with
 * a status: 0 all is well, 1 broken chains or a rebuild that verified different, 2 failed (the reason is
 * printed), 3 refused (e.g. an unknown processing group). They start no web server (see
 * common.CommandLineModes); run a rebuild with the server stopped.
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
        if (!args.containsOption("verify-ledger") && !args.containsOption("rebuild")) {
            return;
        }
        int status;
        try {
            if (args.containsOption("verify-ledger")) {
                status = verifyLedger();
            } else {
                List<String> groups = args.getOptionValues("rebuild");
                status = groups.isEmpty() || groups.stream().anyMatch(String::isBlank) ? refuse() : 0;
                for (String group : groups) {
                    status = status == 0 || status == 1 ? Math.max(status, rebuild(group)) : status;
                }
            }
        } catch (RuleViolation refused) {
            out.println("REFUSED: " + refused.getMessage());
            status = 3;
        } catch (Exception e) {
            out.println("FAILED: " + Positions.describe(e));
            status = 2;
        }
        int exit = status;
        System.exit(SpringApplication.exit(context, () -> exit));
    }

    private int verifyLedger() {
        out.println("Verifying the hash chains of the ledger ...");
        LedgerVerification result = verifier.verifyLedger(events -> out.printf("  %,d events checked%n", events));
        out.printf("%s: %,d cases, %,d events in %,d ms; %,d broken%n", result.valid() ? "VALID" : "BROKEN",
                   result.casesChecked(), result.eventsChecked(), result.millis(), result.brokenCases());
        out.printf("  store read: %s%n", result.store());
        if (result.problem() != null) {
            out.printf("  NOT VALID: %s%n", result.problem());
        }
        result.broken().forEach(broken -> out.printf("  case %s: sequence %d, event %s: %s (%s)%n", broken.caseId(),
                                                     broken.firstBrokenLink().sequenceNumber(),
                                                     broken.firstBrokenLink().eventId(),
                                                     broken.firstBrokenLink().reason(),
                                                     broken.firstBrokenLink().detail()));
        return result.valid() ? 0 : 1;
    }

    /**
     * A line of a rebuild's progress: the events once the copy has counted them, the time left once the replay
     * has a rate (before, the line said "0 of 0 events" and "null s left").
     */
    static String progress(Rebuild rebuild) {
        StringBuilder line = new StringBuilder("  ").append(rebuild.phase());
        if (rebuild.phase() == Rebuild.Phase.COPYING) {
            return line.append(": stopping the processors, copying the tables, resetting").toString();
        }
        line.append(String.format(" %,d of %,d events, %,.0f events/s", rebuild.eventsDone(), rebuild.eventsTotal(),
                                  rebuild.eventsPerSecond()));
        if (rebuild.phase() == Rebuild.Phase.REPLAYING && rebuild.secondsLeft() != null) {
            line.append(String.format(", %,d s left", rebuild.secondsLeft()));
        }
        return line.toString();
    }

    private int refuse() {
        out.println("REFUSED: --rebuild needs a processing group, e.g. --rebuild=case-views");
        return 3;
    }

    private int rebuild(String group) throws InterruptedException {
        String id;
        try {
            id = commands.sendAndWait(new StartRebuildCommand(group, Identifiers.random()));
        } catch (CommandExecutionException refused) {
            out.println("REFUSED: " + refused.getMessage());
            return 3;
        }
        out.printf("Rebuilding %s (rebuild %s) ...%n", group, id);
        Rebuild rebuild = rebuilds.handle(new FindRebuildQuery(group, id)).orElseThrow();
        while (rebuild.phase() != Rebuild.Phase.DONE && rebuild.phase() != Rebuild.Phase.FAILED) {
            Thread.sleep(1000);
            rebuild = rebuilds.handle(new FindRebuildQuery(group, id)).orElseThrow();
            out.println(progress(rebuild));
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
