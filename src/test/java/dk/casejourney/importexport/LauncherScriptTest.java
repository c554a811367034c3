package dk.casejourney.importexport;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** bin/ledger picks JVM settings by mode; its dry run prints the command it would run. */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("bin", "ledger");

    private static String command(Map<String, String> environment, String... args) throws Exception {
        assumeTrue(new File("/bin/sh").canExecute(), "bin/ledger is a POSIX shell script: no /bin/sh here");
        String[] line = new String[args.length + 2];
        line[0] = "/bin/sh";
        line[1] = SCRIPT.toString();
        System.arraycopy(args, 0, line, 2, args.length);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().put("LEDGER_JAR", "/opt/ledger/case-journey-ledger.jar");
        builder.environment().put("LEDGER_LAUNCHER_DRY_RUN", "1");
        builder.environment().put("JAVA", "java");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void givenTheImportMode_whenLaunched_thenTheJvmGetsABoundedHeapTheThroughputCollectorAndTheQuickCompiler()
            throws Exception {
        assertThat(Files.isRegularFile(SCRIPT)).isTrue();
        assertThat(command(Map.of(), "--import=log.xes.gz"))
                .isEqualTo("java -Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1 "
                                   + "-jar /opt/ledger/case-journey-ledger.jar --import=log.xes.gz");
    }

    @Test
    void givenTheServer_whenLaunched_thenTheJvmKeepsItsDefaults() throws Exception {
        assertThat(command(Map.of(), "--server.port=8081"))
                .isEqualTo("java -jar /opt/ledger/case-journey-ledger.jar --server.port=8081");
    }

    @Test
    void givenTheOperatorsOwnSettings_whenLaunched_thenTheyWin() throws Exception {
        assertThat(command(Map.of("JAVA_OPTS", "-Xmx2g"), "--import=log.xes.gz"))
                .isEqualTo("java -Xmx2g -jar /opt/ledger/case-journey-ledger.jar --import=log.xes.gz");
        assertThat(command(Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g"), "--import=log.xes.gz"))
                .as("a heap in JAVA_TOOL_OPTIONS is not overridden from the command line")
                .isEqualTo("java -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -jar /opt/ledger/case-journey-ledger.jar "
                                   + "--import=log.xes.gz");
        assertThat(command(Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseG1GC"), "--import=log.xes.gz"))
                .as("a collector in JAVA_TOOL_OPTIONS: a second one on the command line would stop the JVM")
                .isEqualTo("java -Xmx512m -XX:TieredStopAtLevel=1 -jar /opt/ledger/case-journey-ledger.jar "
                                   + "--import=log.xes.gz");
    }
}
