package dk.casejourney.audit;

import dk.casejourney.audit.api.LedgerVerification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Issue 11: the ledger verification reported "valid" after checking 0 events while the store held thousands,
 * because it read an empty table beside the real store. Reading less than the store holds is never valid.
 */
class LedgerVerificationCompletenessTest {

    @Test
    void givenAStoreWithEvents_whenTheVerificationReadsNone_thenItIsNotValidAndSaysWhy() {
        LedgerVerification result = verifier(new Store(3379, -1)).verifyLedger(done -> {
        });

        assertThat(result.eventsChecked()).isZero();
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("no event was read").contains("3379");
        assertThat(result.store()).isEqualTo("a store for the test");
    }

    @Test
    void givenAStoreWithEvents_whenTheReadStopsShortOfItsHead_thenItIsNotValid() {
        LedgerVerification result = verifier(new Store(10, 4)).verifyLedger(done -> {
        });

        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("up to position 4").contains("head at 10");
    }

    @Test
    void givenAnEmptyStore_whenVerified_thenItIsValidWithNothingChecked() {
        LedgerVerification result = verifier(new Store(-1, -1)).verifyLedger(done -> {
        });

        assertThat(result.valid()).isTrue();
        assertThat(result.problem()).isNull();
    }

    private static ChainVerifier verifier(EventTable store) {
        Checkpoints checkpoints = mock(Checkpoints.class);
        when(checkpoints.newest(ChainVerifier.CHECKPOINTS_VERIFIED)).thenReturn(List.of());
        return new ChainVerifier(store, new LedgerKeys("", ""), checkpoints);
    }

    /** A store whose head is at {@code head} but whose reading ends at {@code readUpTo}, one event a position. */
    private record Store(long head, long readUpTo) implements EventTable {
        @Override
        public List<StoredEvent> ofCase(String caseId) {
            return List.of();
        }

        @Override
        public long forEachAfter(long position, Consumer<StoredEvent> consumer) {
            for (long index = 0; index <= readUpTo; index++) {
                consumer.accept(new StoredEvent(index, "case-" + index, 0, "CaseAggregate", "event-" + index,
                                                "2024-03-01T09:00:00.000Z", "dk.Event", "1", new byte[0], null));
            }
            return readUpTo;
        }

        @Override
        public long headPosition() {
            return head;
        }

        @Override
        public String describe() {
            return "a store for the test";
        }
    }
}
