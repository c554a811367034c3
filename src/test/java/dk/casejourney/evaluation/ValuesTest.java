package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.Distribution;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The distribution of observed values equals the one read off the sorted values, whichever way it is found. */
class ValuesTest {

    /** Reference: sort, sum in ascending order, nearest rank. */
    private static Distribution sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        double sum = 0;
        for (double value : copy) {
            sum += value;
        }
        return new Distribution(copy.length, sum / copy.length, Values.nearestRank(copy, 50),
                                Values.nearestRank(copy, 90), copy[copy.length - 1]);
    }

    @Test
    void givenRandomWholeNumbersWithManyRepeats_whenSummarised_thenEveryFigureEqualsTheSortedValues() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(round < 100 ? 12 : 3000);
            int range = 1 + random.nextInt(round % 3 == 0 ? 3 : 10_000_000);
            double[] observed = new double[n];
            Values values = new Values();
            for (int i = 0; i < n; i++) {
                observed[i] = random.nextInt(range) - (round % 5 == 0 ? range / 2 : 0);
                values.add(observed[i]);
            }
            assertThat(values.distribution()).as("round %d, n %d", round, n).isEqualTo(sorted(observed));
            assertThat(values.median()).isEqualTo(sorted(observed).median());
        }
    }

    @Test
    void givenFractions_whenSummarised_thenTheMeanIsTheAscendingSumToTheLastBit() {
        Random random = new Random(7);
        double[] observed = new double[10_001];
        Values values = new Values();
        for (int i = 0; i < observed.length; i++) {
            observed[i] = random.nextInt(5_000_000) / 60_000.0;
            values.add(observed[i]);
        }
        assertThat(values.distribution()).isEqualTo(sorted(observed));
    }

    @Test
    void givenAValueAddedSeveralTimesAtOnce_whenSummarised_thenItCountsAsThatManyObservations() {
        Values values = new Values();
        values.add(0, 20);
        values.add(3);
        values.add(1, 3);
        assertThat(values.distribution())
                .isEqualTo(sorted(new double[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 1, 1}));
        assertThat(values.size()).isEqualTo(24);
    }

    @Test
    void givenAllValuesEqual_whenSummarised_thenEveryPercentileIsThatValue() {
        Values values = new Values();
        for (int i = 0; i < 1000; i++) {
            values.add(5);
        }
        assertThat(values.distribution()).isEqualTo(new Distribution(1000, 5.0, 5.0, 5.0, 5.0));
    }
}
