package dk.casejourney.common;

import org.axonframework.common.IdentifierFactory;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Message identifiers as time-ordered UUIDs (RFC 9562 version 7: 48 bits of Unix milliseconds, then 74 random
 * bits), found by Axon's {@link IdentifierFactory#getInstance()} through {@code META-INF/services}.
 * <p>
 * Why: every event's identifier is a key of the event table's unique index. Random (version 4) identifiers put
 * each new event on a random page of that index, so every commit rewrote one index page per event: on H2, whose
 * pages are copied on write, a quarter of what the BPI 2013 incidents import wrote to the file, and H2 inserted
 * the same rows 2.2 times as fast with these (docs/benchmarks.md); on PostgreSQL likewise a random index page per
 * insert. Identifiers that grow with time are appended at the index's end, like the events.
 * They stay unique and unguessable (74 random bits from a {@link SecureRandom}) and are still UUIDs in their
 * canonical text form, so nothing that reads them changes.
 * <p>
 * Axon makes an identifier for every message, results included: several per imported event (command, result,
 * events, and each read model's result per event). Drawn ten bytes at a time from the platform's default
 * {@code SecureRandom} (NativePRNG: a lock, a read of {@code /dev/urandom} per 32 bytes and a SHA-1 mix per call),
 * they cost 0.6–1.4 µs of CPU each with four threads drawing at once (0.2–0.3 µs with one), 3.5% of an XES import's
 * thread (docs/benchmarks.md, twenty-sixth session; {@code IdentifierCostBenchmark}). The bytes now come from the
 * JDK's DRBG (NIST SP 800-90A, seeded from the platform's entropy source), {@value #DRAWN} bytes at a time into
 * one of a few buffers, each byte used once: the same strength, one generation per {@value #PER_DRAW} identifiers,
 * 0.28 µs each with four threads (0.2 µs with one).
 */
public final class TimeOrderedIdentifiers extends IdentifierFactory {

    /** Random bytes per identifier. */
    private static final int BYTES = 10;
    static final int PER_DRAW = 64;
    static final int DRAWN = BYTES * PER_DRAW;
    private static final SecureRandom RANDOM = drbg();
    /**
     * Buffers chosen by the thread's id, each used under its own lock. Not a ThreadLocal: its entry, added to every
     * thread that makes an identifier, pushed Axon's CurrentUnitOfWork off its slot in the threads' maps, and each of
     * the many lookups of the unit of work then probed further, a native call per probe under C1: lookups went from
     * 2.6% to 7.2% of an XES import's thread, more than the identifiers saved (back to 1.5% with these).
     */
    private static final Drawn[] STRIPES = stripes(16);

    /** Needed by {@link java.util.ServiceLoader}. */
    public TimeOrderedIdentifiers() {
    }

    @Override
    public String generateIdentifier() {
        return next(System.currentTimeMillis()).toString();
    }

    static UUID next(long epochMillis) {
        Drawn drawn = STRIPES[stripe(Thread.currentThread())];
        long high;
        long low;
        synchronized (drawn) {
            byte[] random = drawn.bytes;
            int at = drawn.take();
            high = epochMillis << 16 | 0x7000L | (random[at] & 0x0FL) << 8 | random[at + 1] & 0xFFL;
            low = 0x8000_0000_0000_0000L | (random[at + 2] & 0x3FL) << 56;
            for (int index = 3; index < BYTES; index++) {
                low |= (random[at + index] & 0xFFL) << (8 * (9 - index));
            }
        }
        return new UUID(high, low);
    }

    /** The buffer a thread draws from. */
    static int stripe(Thread thread) {
        return (int) thread.getId() & (STRIPES.length - 1);
    }

    private static Drawn[] stripes(int count) {
        Drawn[] stripes = new Drawn[count];
        for (int index = 0; index < count; index++) {
            stripes[index] = new Drawn();
        }
        return stripes;
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException absent) {
            // Every JDK since 9 has it; a platform without it still gets a strong generator, only slower.
            return new SecureRandom();
        }
    }

    /** Random bytes not yet used, each byte used once; guarded by its own monitor. */
    private static final class Drawn {
        private final byte[] bytes = new byte[DRAWN];
        private int next = DRAWN;

        /** Where the next identifier's bytes start, drawing anew when all are used. */
        int take() {
            if (next == DRAWN) {
                RANDOM.nextBytes(bytes);
                next = 0;
            }
            int at = next;
            next += BYTES;
            return at;
        }
    }
}
