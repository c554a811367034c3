package dk.casejourney.importexport;

import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.xes.XesReader;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesTraceIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command-line XES import killed with SIGKILL while its batches are being recorded (two at a time, so a later
 * batch may commit before an earlier one) leaves only whole cases behind, and the same import run again completes
 * it: every trace of the log is then one case with all its entries, none of them twice.
 */
class KillDuringLogImportTest {

    private static final int TRACES = 3_000;
    private static final String SOURCE = "kill";
    /** The command line's progress line, printed once a second while the import runs. */
    private static final Pattern PROGRESS = Pattern.compile("import: .* traces, ([\\d,]+) cases, .*");
    private static final Pattern FINAL = Pattern.compile(
            "import \\S+: COMPLETED, .* ([\\d,]+) cases and [\\d,]+ events imported .*, ([\\d,]+) skipped, .*");

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void givenAnImportKilledHard_whenItIsRunAgain_thenEveryTraceIsOneWholeCaseAndNoneTwice() throws Exception {
        Path log = dir.resolve("kill.xes");
        Files.writeString(log, log());
        Path data = dir.resolve("data");

        List<String> first = new CopyOnWriteArrayList<>();
        process = start(log, data, first);
        // A bound, not a speed expectation: it ends at the first progress line that counts recorded cases.
        await().atMost(Duration.ofSeconds(180)).until(() -> casesSoFar(first) > 0 || !process.isAlive());
        assertThat(process.isAlive()).as("the first import runs until it is killed:\n%s", String.join("\n", first))
                                     .isTrue();
        // Process.destroyForcibly sends SIGKILL on Unix: no shutdown hook, no rollback by the process itself.
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        List<String> second = new CopyOnWriteArrayList<>();
        process = start(log, data, second);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("the second import ends").isTrue();
        assertThat(process.exitValue()).as(String.join("\n", second)).isZero();

        Matcher report = second.stream().map(FINAL::matcher).filter(Matcher::matches).findFirst().orElseThrow(
                () -> new AssertionError("no final report in:\n" + String.join("\n", second)));
        long imported = Long.parseLong(report.group(1).replace(",", ""));
        long skipped = Long.parseLong(report.group(2).replace(",", ""));
        assertThat(skipped).as("cases the killed import had recorded, skipped as already imported").isPositive();
        assertThat(imported).as("cases the killed import had not reached").isPositive();
        assertThat(imported + skipped).isEqualTo(TRACES);
        assertThat(entriesPerCase(data)).as("each trace's case with all its entries, none twice")
                                        .isEqualTo(expectedEntriesPerCase(log));
    }

    private Process start(Path log, Path data, List<String> output) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dk.casejourney.LedgerApplication", "--import=" + log, "--ledger.data-dir=" + data,
                "--logging.level.root=WARN"));
        Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (Exception ended) {
                // The process was killed.
            }
        }, "import-output");
        reader.setDaemon(true);
        reader.start();
        return started;
    }

    private static long casesSoFar(List<String> output) {
        return output.stream().map(PROGRESS::matcher).filter(Matcher::matches)
                     .mapToLong(m -> Long.parseLong(m.group(1).replace(",", ""))).max().orElse(0);
    }

    /** The ledger's stored entries per case, read from its file once the second import has ended. */
    private static Map<String, Integer> entriesPerCase(Path data) throws Exception {
        Map<String, Integer> stored = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:h2:file:" + data.resolve("ledger") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;MAX_COMPACT_TIME=0",
                "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT aggregate_identifier, COUNT(*), MAX(sequence_number) "
                                                             + "FROM domain_event_entry GROUP BY aggregate_identifier")) {
            while (rows.next()) {
                assertThat(rows.getLong(3)).as("sequence of " + rows.getString(1)).isEqualTo(rows.getLong(2) - 1);
                stored.put(rows.getString(1), rows.getInt(2));
            }
        }
        return stored;
    }

    /** What the import's own mapping makes of each trace: its case id and its number of entries. */
    private static Map<String, Integer> expectedEntriesPerCase(Path log) throws Exception {
        TraceMapping mapping = new TraceMapping(ImportMapping.defaults().withDefaults(), SOURCE);
        Map<String, Integer> expected = new TreeMap<>();
        try (InputStream in = Files.newInputStream(log); XesTraceIterator traces = new XesReader().open(in)) {
            while (traces.hasNext()) {
                XesTrace trace = traces.next();
                expected.put(TraceMapping.caseId(SOURCE, trace.name()), mapping.commands(trace).size());
            }
        }
        assertThat(expected).hasSize(TRACES);
        return expected;
    }

    private static String log() {
        StringBuilder xes = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <log xes.version="1.0" xmlns="http://www.xes-standard.org/">
                  <string key="concept:name" value="%s"/>
                """.formatted(SOURCE));
        for (int t = 0; t < TRACES; t++) {
            xes.append("<trace><string key=\"concept:name\" value=\"k").append(t).append("\"/>");
            int events = 2 + t % 5;
            for (int e = 0; e < events; e++) {
                xes.append("<event><string key=\"concept:name\" value=\"A").append(e % 3)
                   .append("\"/><string key=\"org:group\" value=\"U").append((t + e) % 2)
                   .append("\"/><date key=\"time:timestamp\" value=\"2012-05-02T10:")
                   .append(String.format("%02d", e)).append(":00.000+02:00\"/></event>");
            }
            xes.append("</trace>\n");
        }
        return xes.append("</log>\n").toString();
    }
}
