package dk.casejourney.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How soon the read models show a write, on the embedded store: one client records an event through the command
 * gateway, as a caseworker's form does, and then looks for it in each read model's table (every 0.1 ms), as the
 * case page does; then waits a random 0–100 ms (or the range given) and writes again: writes 0–100 ms apart find
 * a busy ledger (ledger.processors.busy-batch-delay, 100 ms), writes 150–250 ms apart a quiet one. Prints, in milliseconds, the write's own answer
 * time and the time from the answer until the row is there, beside the machine's own limit for the look itself
 * (one read of the row). A main class, not a test, so surefire never runs it.
 *
 * <p>Run from the project root:
 * <pre>
 *   mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) dk.casejourney.common.ReadModelLatencyBenchmark [writes] [pause from ms] [pause to ms]
 * </pre>
 */
public final class ReadModelLatencyBenchmark {

    private static final Instant T = Instant.parse("2025-03-03T08:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReadModelLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int pauseFrom = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int pauseTo = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        if (pauseFrom < 0 || pauseTo <= pauseFrom) {
            throw new IllegalArgumentException("pause range: 0 <= from < to (ms), was " + pauseFrom + "–" + pauseTo);
        }
        int warmUp = writes / 4;
        Path dataDir = Files.createTempDirectory("read-model-latency");
        String loadBefore = load();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            CommandGateway commands = app.getBean(CommandGateway.class);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            Random random = new Random(7);
            long[] answered = new long[writes];
            long[] history = new long[writes];
            long[] journey = new long[writes];
            long[] look = new long[writes];
            for (int i = -warmUp; i < writes; i++) {
                // Half the writes open a case, half add a contact to the case opened just before.
                String caseId = "latency-" + (i + warmUp) / 2;
                boolean opening = (i + warmUp) % 2 == 0;
                int sequence = opening ? 0 : 1;
                long started = System.nanoTime();
                if (opening) {
                    commands.sendAndWait(new OpenCaseCommand(caseId, "o", "0101801234", CitizenGroup.OTHER,
                                                             ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE,
                                                             "KBH-KC", T));
                } else {
                    commands.sendAndWait(new RecordContactCommand(caseId, "k", Channel.PHONE, Direction.INBOUND,
                                                                  "KBH-KC", "cc-1", ContactPurpose.APPLICATION, null,
                                                                  T.plusSeconds(60), T.plusSeconds(600)));
                }
                long done = System.nanoTime();
                long inHistory = 0;
                long inJourney = 0;
                while (inHistory == 0 || inJourney == 0) {
                    if (inHistory == 0 && count(jdbc, "case_history", caseId) > sequence) {
                        inHistory = System.nanoTime();
                    }
                    if (inJourney == 0 && keptEvents(jdbc, caseId) > sequence) {
                        inJourney = System.nanoTime();
                    }
                    if (System.nanoTime() - done > TimeUnit.SECONDS.toNanos(30)) {
                        throw new IllegalStateException("write " + i + " not in the read models after 30 s");
                    }
                    LockSupport.parkNanos(100_000);
                }
                long lookStarted = System.nanoTime();
                count(jdbc, "case_history", caseId);
                long lookDone = System.nanoTime();
                if (i >= 0) {
                    answered[i] = done - started;
                    history[i] = inHistory - done;
                    journey[i] = inJourney - done;
                    look[i] = lookDone - lookStarted;
                }
                Thread.sleep(pauseFrom + random.nextInt(pauseTo - pauseFrom));
            }
            System.out.printf("read models after a write, embedded H2, %d writes by one client (%d more to warm up) "
                                      + "%d–%d ms apart, load average %s before, %s after%n", writes, warmUp,
                              pauseFrom, pauseTo, loadBefore, load());
            print("write answered (command gateway)", answered);
            print("in case_history after the answer", history);
            print("in journey_case_events after the answer", journey);
            print("machine limit: one read of the row", look);
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** How many events journey-figures keeps of the case: the elements of its row's JSON array. */
    private static long keptEvents(JdbcClient jdbc, String caseId) throws Exception {
        List<String> rows = jdbc.sql("SELECT events FROM journey_case_events WHERE case_id = ?").param(caseId)
                                .query(String.class).list();
        return rows.isEmpty() ? 0 : MAPPER.readTree(rows.get(0)).size();
    }

    private static long count(JdbcClient jdbc, String table, String caseId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE case_id = ?").param(caseId).query(Long.class)
                   .single();
    }

    private static void print(String measure, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-40s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms  mean %7.2f ms%n", measure,
                          ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                          Arrays.stream(sorted).average().orElse(0) / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static String load() {
        try {
            List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).split(" "));
            return String.join("/", parts.subList(0, 3));
        } catch (Exception e) {
            return "unknown";
        }
    }
}
