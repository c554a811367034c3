package dk.casejourney.audit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a stopped processor's tables stand, from its segments' stored tokens and the events beyond the slowest. */
class ProjectionsTest {

    @Test
    void givenAQuietSegmentBehindEventsOfTheOtherOnly_whenHandledThroughIsComputed_thenItIsTheFastestPosition() {
        // Segment 0's last own event is at 5; 6 to 9 are segment 1's, which has handled them.
        EventTable events = store(2, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1);
        List<Projections.StoredToken> tokens = List.of(token(0, 5), token(1, 9));

        assertThat(Projections.handledThrough(tokens, true, events)).isEqualTo(9);
    }

    @Test
    void givenAnEventBeyondItsOwnSegmentsToken_whenHandledThroughIsComputed_thenItEndsJustBeforeThatEvent() {
        // 7 is segment 0's and beyond its token: everything before 7 is handled, 7 and after may not be.
        EventTable events = store(2, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1);
        List<Projections.StoredToken> tokens = List.of(token(0, 5), token(1, 9));

        assertThat(Projections.handledThrough(tokens, true, events)).isEqualTo(6);
    }

    @Test
    void givenASegmentWithoutToken_whenHandledThroughIsComputed_thenItEndsBeforeThatSegmentsFirstEvent() {
        EventTable events = store(2, 1, 1, 1, 0, 1);
        List<Projections.StoredToken> tokens = List.of(token(0, -1), token(1, 4));

        assertThat(Projections.handledThrough(tokens, true, events)).isEqualTo(2);
    }

    @Test
    void givenSequencingOtherThanPerAggregate_whenHandledThroughIsComputed_thenItIsTheSlowestPosition() {
        EventTable events = store(2, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1);
        List<Projections.StoredToken> tokens = List.of(token(0, 5), token(1, 9));

        assertThat(Projections.handledThrough(tokens, false, events)).isEqualTo(5);
    }

    @Test
    void givenFourSegments_whenHandledThroughIsComputed_thenEachEventIsJudgedByItsOwnSegment() {
        // Segments 0..3 (mask 3); 4..7 belong to segments 2, 3, 2, 1, whose tokens are past them; 8 is segment 0's.
        EventTable events = store(4, 0, 1, 2, 3, 2, 3, 2, 1, 0, 2);
        List<Projections.StoredToken> tokens = List.of(token(0, 4), token(1, 10), token(2, 10), token(3, 10));

        assertThat(Projections.handledThrough(tokens, true, events)).isEqualTo(7);
    }

    private static Projections.StoredToken token(int segment, long position) {
        return new Projections.StoredToken(segment, position, position, false);
    }

    /**
     * A store with one event a position from 0, the event at position i of a case in segment {@code segments[i]}
     * of {@code count} segments.
     */
    private static EventTable store(int count, int... segments) {
        List<StoredEvent> stored = new ArrayList<>();
        for (int position = 0; position < segments.length; position++) {
            String caseId = caseIn(segments[position], count, position);
            stored.add(new StoredEvent(position, caseId, 0, "CaseAggregate", "event-" + position,
                                       "2024-03-01T09:00:00.000Z", "dk.Event", "1", new byte[0], null));
        }
        return new EventTable() {
            @Override
            public List<StoredEvent> ofCase(String caseId) {
                return stored.stream().filter(event -> event.aggregateId().equals(caseId)).toList();
            }

            @Override
            public long forEachAfter(long position, Consumer<StoredEvent> consumer) {
                stored.stream().filter(event -> event.globalIndex() > position).forEach(consumer);
                return stored.size() - 1;
            }

            @Override
            public long headPosition() {
                return stored.size() - 1;
            }

            @Override
            public String describe() {
                return "a store for the test";
            }
        };
    }

    /** A case id whose hash puts it in the segment (Axon's segments of a power of two: hash & (count - 1)). */
    private static String caseIn(int segment, int count, int start) {
        for (int n = start; ; n++) {
            String caseId = "case-" + n;
            if ((caseId.hashCode() & (count - 1)) == segment) {
                return caseId;
            }
        }
    }
}
