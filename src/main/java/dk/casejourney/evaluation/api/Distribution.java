package dk.casejourney.evaluation.api;

/**
 * A distribution, never a mean alone. Median and p90 are nearest-rank: the value at rank ceil(p × count)
 * of the sorted values, so always an observed value (for an even count the median is the lower middle).
 * All but count are null when count is 0.
 */
public record Distribution(long count, Double mean, Double median, Double p90, Double max) {
}
