package dk.casejourney.importexport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * The CPU time of this process's threads over an interval, by group: the JVM's own threads included (the compilers,
 * the collector), which neither {@code ThreadMXBean} nor a sampler in Java sees. Read from Linux's
 * {@code /proc/self/task/<tid>/schedstat} (nanoseconds on a CPU) and {@code comm} (the name, cut at 15 characters).
 * <p>
 * A thread that ends takes its time with it, so {@link #sample()} is called now and then while the interval runs
 * (the import's own threads end with it) and each thread counts with the last time seen; what ended between two
 * samples is reported as the process's CPU the groups do not account for. Elsewhere than Linux: no figures.
 */
final class ThreadCpu {

    /** Groups in the order printed; a thread counts in the first that matches its name. */
    private static final List<Map.Entry<String, Predicate<String>>> GROUPS = List.of(
            Map.entry("import threads", name -> name.startsWith("import-")),
            Map.entry("read models' work packages", name -> name.startsWith("WorkPackage")),
            Map.entry("their coordinators", name -> name.startsWith("Coordinator")),
            Map.entry("their shared reader", name -> name.startsWith("EmbeddedEventSt")
                    || name.startsWith("event-store-")),
            Map.entry("compilers", name -> name.contains("CompilerThre")),
            Map.entry("collector", name -> name.startsWith("GC Thread") || name.equals("VM Thread")),
            Map.entry("H2's writers", name -> name.startsWith("H2-") || name.startsWith("MVStore")),
            // The launcher's main thread keeps the process's name: "java".
            Map.entry("main (reading the file)", name -> name.equals("main") || name.equals("java")),
            Map.entry(ThreadCpu.OTHER, name -> true));

    private static final String OTHER = "other";
    private static final Path TASKS = Path.of("/proc/self/task");

    private final Map<String, Long> atStart;
    /** Per thread id the last on-CPU time seen (ids are not reused within seconds: Linux counts them up). */
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();

    private ThreadCpu(Map<String, Long> atStart) {
        this.atStart = atStart;
    }

    /** Starts an interval now; null where the process's threads cannot be read. */
    static ThreadCpu start() {
        Map<String, Long> now = new HashMap<>();
        if (!read(now, new HashMap<>())) {
            return null;
        }
        return new ThreadCpu(now);
    }

    /** Notes every thread's time so far; called every ~100 ms while the interval runs, and at its end. */
    synchronized void sample() {
        read(lastSeen, names);
    }

    /**
     * The CPU seconds per group since {@link #start()}, and what the groups do not account for out of
     * {@code processCpuSeconds} (threads that ended after the last sample), as one line.
     */
    synchronized String summary(double processCpuSeconds) {
        sample();
        Map<String, Double> seconds = new LinkedHashMap<>();
        GROUPS.forEach(group -> seconds.put(group.getKey(), 0.0));
        Map<String, Double> others = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, Long> thread : lastSeen.entrySet()) {
            long nanos = thread.getValue() - atStart.getOrDefault(thread.getKey(), 0L);
            String name = names.get(thread.getKey());
            String group = GROUPS.stream().filter(candidate -> candidate.getValue().test(name)).findFirst()
                                 .orElseThrow().getKey();
            seconds.merge(group, nanos / 1e9, Double::sum);
            if (group.equals(OTHER)) {
                others.merge(name, nanos / 1e9, Double::sum);
            }
            total += nanos / 1e9;
        }
        // The largest of the rest by name, so that a new kind of thread is seen.
        List<String> largestOthers = others.entrySet().stream()
                                           .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                                           .limit(3).filter(other -> other.getValue() >= 0.01)
                                           .map(other -> String.format(Locale.ROOT, "%s %.2f s", other.getKey(),
                                                                       other.getValue()))
                                           .toList();
        StringJoiner line = new StringJoiner(", ");
        seconds.forEach((group, cpu) -> line.add(String.format(Locale.ROOT, "%s %.2f s", group, cpu)
                                                         + (group.equals(OTHER) && !largestOthers.isEmpty()
                                                                    ? " (" + String.join(", ", largestOthers) + ")"
                                                                    : "")));
        return line + String.format(Locale.ROOT, "; not seen (threads that ended between samples) %.2f s",
                                    Math.max(0, processCpuSeconds - total));
    }

    /** Reads every thread's time into {@code times} by thread id; false if this is not Linux's /proc. */
    private static boolean read(Map<String, Long> times, Map<String, String> names) {
        if (!Files.isDirectory(TASKS)) {
            return false;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String key = task.getFileName().toString();
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    long onCpu = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    // Named once (the sampler's cost is then one small read per thread, about 1% of a core), but
                    // "java" again: a thread just started bears the process's name until it has set its own.
                    if (!names.containsKey(key) || names.get(key).equals("java")) {
                        names.put(key, Files.readString(task.resolve("comm")).trim());
                    }
                    times.put(key, onCpu);
                } catch (IOException | RuntimeException ended) {
                    // The thread ended while being read: its last sample stands.
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
