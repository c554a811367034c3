package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.Distribution;

import java.util.Arrays;

/** A growable list of observed values, summarised as a {@link Distribution} with nearest-rank percentiles. */
final class Values {

    private double[] values = new double[16];
    private int size;

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    Distribution distribution() {
        if (size == 0) {
            return new Distribution(0, null, null, null, null);
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        return new Distribution(size, sum / size, nearestRank(sorted, 50), nearestRank(sorted, 90),
                                sorted[size - 1]);
    }

    Double median() {
        if (size == 0) {
            return null;
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return nearestRank(sorted, 50);
    }

    /** The value at rank ceil(percent / 100 × n) (1-based) of the sorted values, in integers to avoid rounding. */
    static double nearestRank(double[] sorted, int percent) {
        long rank = ((long) percent * sorted.length + 99) / 100;
        return sorted[(int) Math.max(rank, 1) - 1];
    }
}
