package dk.casejourney.audit.api;

import java.time.Instant;
import java.util.List;

/**
 * A rebuild and its progress. Events are counted by position in the store: {@code eventsDone} of
 * {@code eventsTotal}, the events that existed when it started. Stored in the database: every instance answers
 * the same; the replay runs on every instance's share of the segments.
 *
 * @param runBy the instance (its token owner name) that drives the rebuild; another one takes it over when that
 *              instance dies
 */
public record Rebuild(String id, String processingGroup, Phase phase, Instant startedAt, Instant finishedAt,
                      long eventsDone, long eventsTotal, double eventsPerSecond, Long secondsLeft,
                      Verification verification, String error, String runBy) {

    public enum Phase {
        COPYING, REPLAYING, VERIFYING, DONE, FAILED
    }

    /**
     * The rebuilt read model against the copy taken before the reset.
     *
     * @param excludedCases cases that received events after the copy, whose rows legitimately differ
     */
    public record Verification(boolean equal, long excludedCases, List<TableComparison> tables) {
    }

    /**
     * @param differences the first differing rows by key; values are left out, they may be personal data
     */
    public record TableComparison(String table, long rowsBefore, long rowsAfter, String digestBefore,
                                  String digestAfter, boolean equal, List<Difference> differences) {
    }

    /**
     * @param kind MISSING (only before the rebuild), EXTRA (only after) or CHANGED (same key, other values)
     */
    public record Difference(String key, String kind) {
    }
}
