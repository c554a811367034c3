package dk.casejourney.importexport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/ledger picks JVM settings by mode; its dry run prints the command it would run. Its class-data archive is
 * prepared and used through a stand-in for java that records how it is called (the JVM's own side, the archive
 * and the start-up it saves, is measured in docs/importexport.md: the jar is built after the tests run).
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("bin", "ledger");

    /**
     * bin/ledger with these arguments, in an environment without the operator's JVM and launcher settings, on a
     * kernel without transparent huge pages.
     */
    private static ProcessBuilder launcher(String... args) {
        assumeTrue(new File("/bin/sh").canExecute(), "bin/ledger is a POSIX shell script: no /bin/sh here");
        String[] line = new String[args.length + 2];
        line[0] = "/bin/sh";
        line[1] = SCRIPT.toAbsolutePath().toString();
        System.arraycopy(args, 0, line, 2, args.length);
        ProcessBuilder builder = new ProcessBuilder(line);
        List.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "LEDGER_CDS", "LEDGER_LAUNCHER_DRY_RUN")
            .forEach(builder.environment()::remove);
        // A kernel without transparent huge pages, unless a test says otherwise: the machine's own does not count.
        builder.environment().put("LEDGER_THP_SETTING", "/nonexistent/transparent_hugepage/enabled");
        return builder;
    }

    private static String command(Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = launcher(args).redirectErrorStream(true);
        builder.environment().put("LEDGER_JAR", "/opt/ledger/case-journey-ledger.jar");
        builder.environment().put("LEDGER_LAUNCHER_DRY_RUN", "1");
        builder.environment().put("JAVA", "java");
        builder.environment().put("LEDGER_CDS_DIR", "/nonexistent/ledger-cds");
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
    void givenAKernelWithoutTransparentHugePages_whenTheServerIsLaunched_thenTheJvmKeepsItsDefaults() throws Exception {
        assertThat(command(Map.of(), "--server.port=8081"))
                .isEqualTo("java -jar /opt/ledger/case-journey-ledger.jar --server.port=8081");
    }

    @Test
    void givenAKernelThatOffersTransparentHugePages_whenTheServerIsLaunched_thenItsHeapUsesThem(@TempDir Path dir)
            throws Exception {
        Path setting = dir.resolve("enabled");
        for (String offered : List.of("always [madvise] never", "[always] madvise never")) {
            Files.writeString(setting, offered + "\n");
            assertThat(command(Map.of("LEDGER_THP_SETTING", setting.toString()), "--server.port=8081"))
                    .as(offered)
                    .isEqualTo("java -XX:+UseTransparentHugePages -jar /opt/ledger/case-journey-ledger.jar "
                                       + "--server.port=8081");
        }
        assertThat(command(Map.of("LEDGER_THP_SETTING", setting.toString()), "--import=log.xes.gz"))
                .as("the import's small heap gained nothing from them")
                .isEqualTo("java -Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1 "
                                   + "-jar /opt/ledger/case-journey-ledger.jar --import=log.xes.gz");
        assertThat(command(Map.of("LEDGER_THP_SETTING", setting.toString(), "JAVA_TOOL_OPTIONS",
                                  "-XX:-UseTransparentHugePages"), "--server.port=8081"))
                .as("the operator's own page setting is not overridden from the command line")
                .isEqualTo("java -jar /opt/ledger/case-journey-ledger.jar --server.port=8081");
        Files.writeString(setting, "always madvise [never]\n");
        assertThat(command(Map.of("LEDGER_THP_SETTING", setting.toString()), "--server.port=8081"))
                .as("switched off: the JVM would only warn")
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

    @Nested
    class ClassData {

        /**
         * Stands in for java: records each call (in the file CALLS: the training start gets no environment to
         * find it in), extracts and trains (unless a file "training-fails" is beside it), says how it was started.
         */
        private static final String STUB = """
                #!/bin/sh
                echo "$*" >> CALLS
                case "$*" in
                    -version) echo 'openjdk version "17-stub"' >&2; exit 0 ;;
                esac
                jar=
                destination=
                previous=
                for arg in "$@"; do
                    [ "$previous" = -jar ] && jar=$arg
                    [ "$previous" = --destination ] && destination=$arg
                    case $arg in
                        -XX:ArchiveClassesAtExit=*) archive=${arg#*=} ;;
                    esac
                    previous=$arg
                done
                if [ -n "$destination" ]; then
                    mkdir -p "$destination/lib" && cp "$jar" "$destination/$(basename "$jar")"
                    exit 0
                fi
                if [ -n "${archive:-}" ]; then
                    echo "training environment: profiles=${SPRING_PROFILES_ACTIVE:-none}" >> CALLS
                    [ ! -e "$(dirname CALLS)/training-fails" ] || exit 1
                    echo archive > "$archive"
                    exit 0
                fi
                echo "started: $*"
                """;

        @TempDir
        Path dir;
        private Path jar;
        private Path calls;
        private Path cache;

        @BeforeEach
        void givenAJarAndAStandInForJava() throws Exception {
            calls = dir.resolve("calls");
            Path java = dir.resolve("java");
            Files.writeString(java, STUB.replace("CALLS", "'" + calls + "'"));
            assertThat(java.toFile().setExecutable(true)).isTrue();
            jar = dir.resolve("case-journey-ledger.jar");
            Files.writeString(jar, "build 1");
            cache = dir.resolve("cache");
        }

        private Started start(Map<String, String> environment, String... args) throws Exception {
            return startIn(null, environment, args);
        }

        /** Started in this working directory (null: the test's), with these settings over the absolute defaults. */
        private Started startIn(Path workingDirectory, Map<String, String> environment, String... args)
                throws Exception {
            Files.deleteIfExists(calls);
            ProcessBuilder builder = launcher(args);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().put("LEDGER_JAR", jar.toString());
            builder.environment().put("LEDGER_CDS_DIR", cache.toString());
            builder.environment().put("JAVA", dir.resolve("java").toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(process.waitFor()).as(out + err).isZero();
            return new Started(out, err, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
        }

        private record Started(String out, String err, List<String> calls) {
        }

        /** The directory bin/ledger keeps the jar's class data in: one per jar build and JVM. */
        private List<Path> prepared() throws Exception {
            try (Stream<Path> entries = Files.list(cache)) {
                return entries.filter(Files::isDirectory).sorted().toList();
            }
        }

        @Test
        void givenNoClassData_whenStartedTwice_thenTheFirstStartPreparesItWithoutTheOperatorsSettingsAndBothUseIt()
                throws Exception {
            Started first = start(Map.of("SPRING_PROFILES_ACTIVE", "postgres"), "--import=log.xes.gz");

            assertThat(first.err()).contains("preparing class data");
            assertThat(prepared()).hasSize(1);
            Path data = prepared().get(0);
            assertThat(first.calls()).hasSize(5);
            assertThat(first.calls().get(1)).isEqualTo("-Djarmode=tools -jar " + jar + " extract --destination "
                                                               + data.resolve("app"));
            assertThat(first.calls().get(2))
                    .startsWith("-XX:ArchiveClassesAtExit=" + data.resolve("app.jsa.partial")
                                        + " -Dspring.context.exit=onRefresh -jar "
                                        + data.resolve("app/case-journey-ledger.jar"))
                    .contains("--ledger.data-dir=" + data.resolve("work/data"));
            assertThat(first.calls().get(3))
                    .as("the training start sees none of the operator's environment: no configured database")
                    .isEqualTo("training environment: profiles=none");
            String fromArchive = "-Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="
                    + data.resolve("app.jsa") + " -jar " + data.resolve("app/case-journey-ledger.jar")
                    + " --import=log.xes.gz";
            assertThat(first.out()).isEqualTo("started: " + fromArchive);
            assertThat(data.resolve("work")).doesNotExist();
            assertThat(data.resolve("app.jsa.partial")).doesNotExist();

            Started second = start(Map.of(), "--import=log.xes.gz");

            assertThat(second.err()).isEmpty();
            assertThat(second.calls()).containsExactly("-version", fromArchive);
            assertThat(second.out()).isEqualTo("started: " + fromArchive);
        }

        @Test
        void givenANewBuildOfTheJar_whenStarted_thenItsClassDataIsPreparedAndOnlyTheEarlierBuildsIsRemoved()
                throws Exception {
            start(Map.of());
            Path earlier = prepared().get(0);
            Path anotherJars = Files.createDirectories(cache.resolve("case-journey-ledger-tools-7-1-2"));
            Files.writeString(jar, "build 2, a little longer");

            Started started = start(Map.of());

            assertThat(started.err()).contains("preparing class data");
            assertThat(prepared()).hasSize(2).doesNotContain(earlier).contains(anotherJars);
            Path current = prepared().stream().filter(p -> !p.equals(anotherJars)).findFirst().orElseThrow();
            assertThat(started.out()).contains("-XX:SharedArchiveFile=" + current.resolve("app.jsa"));
        }

        @Test
        void givenAPreparationThatFails_whenStarted_thenTheJarStartsAsItIsAndLaterStartsDoNotTryAgain()
                throws Exception {
            Files.createFile(dir.resolve("training-fails"));

            Started failed = start(Map.of(), "--server.port=8081");

            assertThat(failed.err()).contains("class data could not be prepared").contains("prepare.log");
            assertThat(failed.out()).isEqualTo("started: -jar " + jar + " --server.port=8081");
            Path data = prepared().get(0);
            assertThat(data.resolve("app.jsa")).doesNotExist();
            assertThat(data.resolve("app")).doesNotExist();
            assertThat(data.resolve("prepare.log")).exists();

            Started later = start(Map.of(), "--server.port=8081");

            assertThat(later.calls()).containsExactly("-version", "-jar " + jar + " --server.port=8081");
            assertThat(later.err()).isEmpty();
        }

        @Test
        void givenAnotherStartPreparing_whenStarted_thenTheJarStartsAsItIsWithoutWaiting_andAnAbandonedLockIsTaken()
                throws Exception {
            Files.createFile(dir.resolve("training-fails"));
            start(Map.of());
            Files.delete(dir.resolve("training-fails"));
            Path data = prepared().get(0);
            deleteRecursively(data);
            Path lock = Path.of(data + ".lock");
            Files.createDirectories(lock);

            Started whileLocked = start(Map.of());

            assertThat(whileLocked.calls()).containsExactly("-version", "-jar " + jar);
            assertThat(whileLocked.err()).isEmpty();

            Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));

            Started afterTheLockWasAbandoned = start(Map.of());

            assertThat(afterTheLockWasAbandoned.out()).contains("-XX:SharedArchiveFile=" + data.resolve("app.jsa"));
            assertThat(lock).doesNotExist();
        }

        /**
         * The preparation runs in a directory of its own: a jar, java or class-data directory named relative to the
         * directory the launcher was started in must still be found there (on main a relative LEDGER_JAR failed the
         * preparation, and a failed preparation is not tried again).
         */
        @Test
        void givenRelativePaths_whenStartedTwice_thenTheClassDataIsPreparedWhereTheyPointAndUsed() throws Exception {
            Map<String, String> relative = Map.of("LEDGER_JAR", "case-journey-ledger.jar", "JAVA", "./java",
                                                  "LEDGER_CDS_DIR", "cache");

            Started first = startIn(dir, relative, "--import=log.xes.gz");

            assertThat(first.err()).contains("preparing class data").doesNotContain("could not be prepared");
            Path data = prepared().get(0);
            String fromArchive = "-Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="
                    + data.resolve("app.jsa") + " -jar " + data.resolve("app/case-journey-ledger.jar")
                    + " --import=log.xes.gz";
            assertThat(first.out()).isEqualTo("started: " + fromArchive);
            assertThat(first.calls().get(1)).isEqualTo("-Djarmode=tools -jar " + jar + " extract --destination "
                                                               + data.resolve("app"));

            Started second = startIn(dir, relative, "--import=log.xes.gz");

            assertThat(second.err()).isEmpty();
            assertThat(second.out()).isEqualTo("started: " + fromArchive);
        }

        @Test
        void givenNoPlaceToKeepClassData_whenStarted_thenTheJarStartsAsItIs() throws Exception {
            Started started = start(Map.of("LEDGER_CDS_DIR", jar.resolve("cache").toString()));

            assertThat(started.out()).isEqualTo("started: -jar " + jar);
            assertThat(started.err()).isEmpty();
        }

        @Test
        void givenClassDataSwitchedOff_whenStarted_thenTheJarStartsAsItIsAndNothingIsPrepared() throws Exception {
            Started started = start(Map.of("LEDGER_CDS", "off"));

            assertThat(started.calls()).containsExactly("-jar " + jar);
            assertThat(cache).doesNotExist();
        }

        private static void deleteRecursively(Path path) throws Exception {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
