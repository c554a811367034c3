package dk.casejourney.common;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongUnaryOperator;

/**
 * What a message identifier costs: {@link TimeOrderedIdentifiers#next} against drawing its ten random bytes alone from
 * the platform's default {@code SecureRandom}, as it did before the twenty-sixth session (the identifier itself not
 * made, so the comparison favours the old way), with one thread and with four threads making identifiers at once, as
 * an import's threads and the read models' work packages do. Process CPU per identifier, best of interleaved rounds.
 * A main class, not a test. Run (with the command-line import's compiler setting, as {@code bin/ledger --import}
 * runs): {@code java -XX:TieredStopAtLevel=1 -cp target/test-classes:target/classes:<test classpath>
 * dk.casejourney.common.IdentifierCostBenchmark}.
 */
public final class IdentifierCostBenchmark {

    private static final SecureRandom PLATFORM = new SecureRandom();

    private IdentifierCostBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        int perThread = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        for (int threads : new int[] {1, 4}) {
            double bestPlatform = Double.MAX_VALUE;
            double bestLedger = Double.MAX_VALUE;
            for (int round = 0; round < 9; round++) {
                bestPlatform = Math.min(bestPlatform, cpuPerIdentifier(threads, perThread,
                                                                       IdentifierCostBenchmark::drawnEachTime));
                bestLedger = Math.min(bestLedger, cpuPerIdentifier(threads, perThread, IdentifierCostBenchmark::made));
            }
            System.out.printf("%d thread(s), %,d identifiers each, best of 9 interleaved rounds: ten bytes from the "
                                      + "platform's SecureRandom per identifier %.2f us of CPU each, "
                                      + "TimeOrderedIdentifiers %.2f us; load average %.1f%n",
                              threads, perThread, bestPlatform, bestLedger,
                              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long made(long time) {
        return TimeOrderedIdentifiers.next(time).getLeastSignificantBits();
    }

    private static long drawnEachTime(long time) {
        byte[] random = new byte[10];
        PLATFORM.nextBytes(random);
        return time ^ random[0] ^ random[9];
    }

    /** Process CPU in microseconds per identifier, the threads making them at once. */
    private static double cpuPerIdentifier(int threads, int perThread, LongUnaryOperator make)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Long>> makers = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                makers.add(() -> {
                    long sink = 0;
                    for (int made = 0; made < perThread; made++) {
                        sink += make.applyAsLong(1_796_000_000_000L + made);
                    }
                    return sink;
                });
            }
            long before = processCpuNanos();
            for (Future<Long> sink : pool.invokeAll(makers)) {
                if (sink.get() == Long.MIN_VALUE) {
                    System.out.println("(unlikely sink)");
                }
            }
            return (processCpuNanos() - before) / 1e3 / ((double) threads * perThread);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
