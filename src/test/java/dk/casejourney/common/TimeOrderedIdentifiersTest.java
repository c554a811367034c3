package dk.casejourney.common;

import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
}
