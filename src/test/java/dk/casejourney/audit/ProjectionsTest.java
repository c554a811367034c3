package dk.casejourney.audit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a stopped processor's tables stand, from its segments' stored tokens and the events beyond the slowest. */
class ProjectionsTest {

    /**
     * Each: the situation, the number of segments, the segment of the case of the event at each position from 0,
     * each segment's position (segment 0 first; -1: no token yet), whether sequenced per aggregate, the expected.
     */
    static Stream<Arguments> segmentsTokensAndEvents() {
        return Stream.of(
                // Segment 0's last own event is at 5; 6 to 9 are segment 1's, which has handled them.
                Arguments.of("a quiet segment behind the other's events only", 2,
                             new int[]{0, 0, 1, 0, 1, 0, 1, 1, 1, 1}, new long[]{5, 9}, true, 9),
                // 7 is segment 0's and beyond its token: everything before 7 is handled, 7 and after may not be.
                Arguments.of("an event beyond its own segment's token", 2,
                             new int[]{0, 0, 1, 0, 1, 0, 1, 0, 1, 1}, new long[]{5, 9}, true, 6),
                Arguments.of("a segment without a token", 2, new int[]{1, 1, 1, 0, 1}, new long[]{-1, 4}, true, 2),
                Arguments.of("sequencing other than per aggregate", 2,
                             new int[]{0, 0, 1, 0, 1, 0, 1, 1, 1, 1}, new long[]{5, 9}, false, 5),
                // Mask 3; 5..7 belong to segments 3, 2, 1, whose tokens are past them; 8 is segment 0's.
                Arguments.of("four segments", 4, new int[]{0, 1, 2, 3, 2, 3, 2, 1, 0, 2}, new long[]{4, 10, 10, 10},
                             true, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentsTokensAndEvents")
    void givenSegmentsTokensAndEvents_whenHandledThroughIsComputed_thenItEndsBeforeTheFirstEventItsSegmentHasNot(
            String situation, int count, int[] segmentOfEvent, long[] tokens, boolean perAggregate, long expected) {
        List<Projections.StoredToken> stored = new ArrayList<>();
        for (int segment = 0; segment < tokens.length; segment++) {
            stored.add(new Projections.StoredToken(segment, tokens[segment], tokens[segment], false));
        }

        assertThat(Projections.handledThrough(stored, perAggregate, store(count, segmentOfEvent))).isEqualTo(expected);
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
