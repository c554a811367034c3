package dk.casejourney.common;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

    /** Process CPU in microseconds per identifier, all threads started together. */
    private static double cpuPerIdentifier(int threads, int perThread, LongUnaryOperator make)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        long[] sinks = new long[threads];
        List<Thread> makers = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            int index = thread;
            Thread maker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long sink = 0;
                for (int made = 0; made < perThread; made++) {
                    sink += make.applyAsLong(1_796_000_000_000L + made);
                }
                sinks[index] = sink;
            });
            maker.start();
            makers.add(maker);
        }
        long before = processCpuNanos();
        start.countDown();
        for (Thread maker : makers) {
            maker.join();
        }
        long used = processCpuNanos() - before;
        if (sinks[0] == Long.MIN_VALUE) {
            System.out.println("(unlikely sink)");
        }
        return used / 1e3 / ((double) threads * perThread);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
