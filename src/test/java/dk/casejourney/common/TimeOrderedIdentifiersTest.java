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
    void givenThreadsMakingIdentifiersAtOnce_whenAllAreCompared_thenNoneRepeats() throws InterruptedException {
        // Each thread draws its random bytes into a buffer of its own: a buffer shared without care, or bytes used
        // twice, would repeat identifiers made in the same millisecond.
        int threads = 4;
        int each = 3 * TimeOrderedIdentifiers.PER_DRAW * 100 + 7;
        Set<UUID> made = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> makers = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            Thread maker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int index = 0; index < each; index++) {
                    made.add(TimeOrderedIdentifiers.next(1_796_000_000_000L));
                }
            });
            maker.start();
            makers.add(maker);
        }
        start.countDown();
        for (Thread maker : makers) {
            maker.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(made).hasSize(threads * each);
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
