package dk.casejourney.importexport;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadCpuTest {

    /** Spins until this thread has used {@code nanos} of CPU (not wall time: the machine may be busy). */
    private static long spin(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 10_000; i++) {
                sum += i * 31L ^ sum;
            }
        }
        return sum;
    }

    @Test
    void givenAnImportThreadThatUsedCpuAndEnded_whenSummed_thenItsTimeIsInItsGroupNotInAnother() throws Exception {
        ThreadCpu cpu = ThreadCpu.start();
        assumeTrue(cpu != null, "only Linux's /proc gives every thread's CPU time");
        AtomicLong sink = new AtomicLong();
        Thread importer = new Thread(() -> {
            sink.set(spin(300_000_000L));
            cpu.sample();
        }, "import-test-1");
        importer.start();
        importer.join();

        String summary = cpu.summary(10.0);

        double importSeconds = Double.parseDouble(summary.replaceAll(".*import threads ([0-9.]+) s.*", "$1"));
        double workPackages = Double.parseDouble(summary.replaceAll(".*work packages ([0-9.]+) s.*", "$1"));
        assertThat(importSeconds).as(summary).isBetween(0.29, 1.0);
        assertThat(workPackages).as(summary).isZero();
        assertThat(summary).contains("compilers", "collector", "not seen");
    }
}
