package dk.casejourney.importexport.xes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Throughput and memory check for {@link XesReader}; a main class, not a test, so surefire never runs it.
 * If reading is streaming, peak heap stays roughly the same whether the log is read once or many times.
 *
 * <p>Run from the project root (exec:java is not available offline):
 * <pre>
 *   mvn -o -q test-compile
 *   java -Xmx256m -cp target/classes:target/test-classes dk.casejourney.importexport.xes.XesReadBenchmark 20
 * </pre>
 * Argument: number of passes over ../shared/data/receipt.xes.gz (default 10); an optional second argument
 * is another XES file.
 */
public final class XesReadBenchmark {

    private XesReadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path file = args.length > 1 ? Path.of(args[1]) : Path.of("..", "shared", "data", "receipt.xes.gz");
        XesReader reader = new XesReader();

        // One warm-up pass so the JIT does not dominate the figures, then reset the peaks.
        readOnce(reader, file);
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        long events = 0;
        long start = System.nanoTime();
        for (int i = 0; i < passes; i++) {
            events += readOnce(reader, file);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        long peakHeap = 0;
        long peakAfterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                // Sum of per-pool peaks: an upper bound, since pools peak at different moments. Most of it is
                // short-lived garbage in the young generation, so the size the heap was given matters more.
                peakHeap += pool.getPeakUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    // What survived the last collection: what the reader actually keeps.
                    peakAfterGc += pool.getCollectionUsage().getUsed();
                }
            }
        }
        System.out.printf("file            %s (%,d bytes)%n", file, Files.size(file));
        System.out.printf("passes          %d%n", passes);
        System.out.printf("events          %,d in %.2f s = %,.0f events/s%n", events, seconds, events / seconds);
        System.out.printf("peak heap used  %.1f MiB (sum of heap pool peaks; max heap %.0f MiB)%n",
                peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.printf("live after GC   %.1f MiB (heap pools after their last collection)%n",
                peakAfterGc / 1048576.0);
        System.out.printf("heap used now   %.1f MiB%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
    }

    private static long readOnce(XesReader reader, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(in, (trace, progress) -> { }).events();
        }
    }
}
