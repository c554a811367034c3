package dk.casejourney.privacy;

import java.util.function.Supplier;

/**
 * Whether the current thread runs a batch of commands in one transaction (a bulk import's), whose new citizens'
 * key files are made durable together just before it commits. Only a batch asks for it: for a single command
 * the force just before its commit cost more than forcing the file at once (8 clients through the gateway, third
 * of three rounds: 940–1,497 against 1,540–1,798 events/s; docs/benchmarks.md), the force then falling inside
 * the database transaction's writes.
 */
final class KeyBatches {

    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);

    private KeyBatches() {
    }

    static <T> T run(Supplier<T> batch) {
        boolean outer = ACTIVE.get();
        ACTIVE.set(true);
        try {
            return batch.get();
        } finally {
            ACTIVE.set(outer);
        }
    }

    static boolean active() {
        return ACTIVE.get();
    }
}
