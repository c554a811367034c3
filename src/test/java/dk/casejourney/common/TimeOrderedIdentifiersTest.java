package dk.casejourney.common;

import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdentifiersTest {

    @Test
    void givenAxonsIdentifierFactory_whenAnEventIsCreated_thenItsIdentifierIsATimeOrderedUuid() {
        assertThat(IdentifierFactory.getInstance()).as("found through META-INF/services")
                                                   .isInstanceOf(TimeOrderedIdentifiers.class);
        long before = System.currentTimeMillis();
        UUID identifier = UUID.fromString(GenericEventMessage.asEventMessage("an event").getIdentifier());
        long after = System.currentTimeMillis();

        assertThat(identifier.version()).isEqualTo(7);
        assertThat(identifier.variant()).isEqualTo(2);
        assertThat(identifier.getMostSignificantBits() >>> 16).as("its milliseconds").isBetween(before, after);
    }

    @Test
    void givenIdentifiersOfLaterMilliseconds_whenSortedAsText_thenTheyAreInTheOrderTheyWereMade() {
        // Across carries of every hex digit of the time, and the highest milliseconds 48 bits hold.
        long[] times = {0L, 1L, 15L, 16L, 255L, 256L, 4_095L, 4_096L, 1_796_000_000_000L, 1_796_000_000_001L,
                        0xFFFF_FFFF_FFFEL, 0xFFFF_FFFF_FFFFL};
        List<String> made = new ArrayList<>();
        for (long time : times) {
            UUID identifier = TimeOrderedIdentifiers.next(time);
            assertThat(identifier.getMostSignificantBits() >>> 16).isEqualTo(time);
            assertThat(identifier.version()).isEqualTo(7);
            assertThat(identifier.variant()).isEqualTo(2);
            made.add(identifier.toString());
        }

        assertThat(made).as("text order is time order: appended at the end of the event table's index")
                        .isSorted();
    }

    @Test
    void givenManyIdentifiersInOneMillisecond_whenCompared_thenAllDiffer() {
        Set<String> identifiers = new HashSet<>();
        for (int index = 0; index < 100_000; index++) {
            identifiers.add(TimeOrderedIdentifiers.next(1_796_000_000_000L).toString());
        }

        assertThat(identifiers).hasSize(100_000);
    }

    @Test
    void givenThreadsSharingABufferOfRandomBytes_whenTheyMakeIdentifiersAtOnce_thenNoneRepeats()
            throws InterruptedException {
        // Threads draw from a few buffers of random bytes, each under its own lock. Two threads that share one make
        // identifiers at once: a buffer used without its lock, or bytes used twice, repeats identifiers made in the
        // same millisecond.
        int each = 150_000;
        Set<UUID> made = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> candidates = new ArrayList<>();
        List<Thread> sharing = new ArrayList<>();
        while (sharing.size() < 2) {
            Thread maker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                List<UUID> mine = new ArrayList<>(each);
                for (int index = 0; index < each; index++) {
                    mine.add(TimeOrderedIdentifiers.next(1_796_000_000_000L));
                }
                made.addAll(mine);
            });
            candidates.add(maker);
            sharing.clear();
            for (Thread candidate : candidates) {
                if (TimeOrderedIdentifiers.stripe(candidate) == TimeOrderedIdentifiers.stripe(maker)) {
                    sharing.add(candidate);
                }
            }
        }
        sharing.forEach(Thread::start);
        start.countDown();
        for (Thread maker : sharing) {
            maker.join(TimeUnit.SECONDS.toMillis(60));
        }

        assertThat(TimeOrderedIdentifiers.stripe(sharing.get(0)))
                .isEqualTo(TimeOrderedIdentifiers.stripe(sharing.get(1)));
        assertThat(made.size()).as("distinct identifiers").isEqualTo(2 * each);
    }

    @Test
    void givenManyIdentifiers_whenTheirRandomBitsAreCounted_thenEachBitIsSetAboutHalfTheTime() {
        // 74 random bits: 12 after the version in the high half, 62 after the variant in the low half. Bytes left
        // zero, or the same bytes handed out again at each draw, set a bit always or never, or in step with others.
        int count = 40 * TimeOrderedIdentifiers.PER_DRAW + 3;
        int[] ones = new int[74];
        for (int index = 0; index < count; index++) {
            UUID identifier = TimeOrderedIdentifiers.next(1_796_000_000_000L);
            long high = identifier.getMostSignificantBits();
            long low = identifier.getLeastSignificantBits();
            for (int bit = 0; bit < 12; bit++) {
                ones[bit] += (int) (high >>> bit & 1);
            }
            for (int bit = 0; bit < 62; bit++) {
                ones[12 + bit] += (int) (low >>> bit & 1);
            }
        }

        // Binomial(2563, 0.5): a standard deviation of 25; the bounds are over 8 of them away, so they hold by chance
        // with certainty for practical purposes, and a bit stuck at 0 or 1 fails them by far.
        for (int bit = 0; bit < ones.length; bit++) {
            assertThat(ones[bit]).as("random bit %d set in %d identifiers", bit, count)
                                 .isBetween(count / 2 - 200, count / 2 + 200);
        }
    }
}
