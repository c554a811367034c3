package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.Distribution;

import java.util.Arrays;

/** A growable list of observed values, summarised as a {@link Distribution} with nearest-rank percentiles. */
final class Values {

    /** Below 2^53 every integer is a double and a sum of them is exact in any order. */
    private static final double EXACT = 0x1p53;
    private double[] values = new double[16];
    private int size;

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    /** The same value {@code times} times. */
    void add(double value, int times) {
        if (size + times > values.length) {
            values = Arrays.copyOf(values, Math.max(size * 2, size + times));
        }
        Arrays.fill(values, size, size + times, value);
        size += times;
    }

    int size() {
        return size;
    }

    /**
     * Count, mean, median, p90 and maximum. Whole numbers (counts, milliseconds) are summed in any order and their
     * two ranks selected without sorting them all (an evaluation summarises millions of values); others (staff
     * minutes) are sorted and summed in ascending order, as always, so that the mean is the same to the last bit.
     */
    Distribution distribution() {
        if (size == 0) {
            return new Distribution(0, null, null, null, null);
        }
        double[] copy = Arrays.copyOf(values, size);
        double sum = 0;
        double magnitude = 0; // bounds every partial sum
        double max = Double.NEGATIVE_INFINITY;
        boolean whole = true;
        for (double value : copy) {
            whole &= value == Math.rint(value);
            sum += value;
            magnitude += Math.abs(value);
            max = Math.max(max, value);
        }
        if (!whole || magnitude >= EXACT) {
            Arrays.sort(copy);
            sum = 0;
            for (double value : copy) {
                sum += value;
            }
            return new Distribution(size, sum / size, nearestRank(copy, 50), nearestRank(copy, 90), copy[size - 1]);
        }
        int p90 = rank(size, 90) - 1;
        int median = rank(size, 50) - 1;
        select(copy, 0, size - 1, p90);
        // Everything below p90's index is now at most its value: the median is selected among those.
        double medianValue = median == p90 ? copy[p90] : select(copy, 0, p90 - 1, median);
        return new Distribution(size, sum / size, medianValue, copy[p90], max);
    }

    Double median() {
        if (size == 0) {
            return null;
        }
        return distribution().median();
    }

    /** The value at rank ceil(percent / 100 × n) (1-based) of the sorted values, in integers to avoid rounding. */
    static double nearestRank(double[] sorted, int percent) {
        return sorted[rank(sorted.length, percent) - 1];
    }

    private static int rank(int n, int percent) {
        long rank = ((long) percent * n + 99) / 100;
        return (int) Math.max(rank, 1);
    }

    /**
     * Rearranges {@code a[from..to]} so that index {@code k} holds the value it would hold sorted, nothing greater
     * before it and nothing smaller after it (Hoare's selection, median-of-three pivots); returns that value.
     */
    static double select(double[] a, int from, int to, int k) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double pivot = medianOfThree(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static double medianOfThree(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
