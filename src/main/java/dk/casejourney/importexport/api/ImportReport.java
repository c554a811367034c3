package dk.casejourney.importexport.api;

import java.time.Instant;
import java.util.List;

/**
 * What an import did. While it runs, the counts grow batch by batch; {@code status} says when it is over.
 *
 * @param bytesTotal       size of the file as given (compressed size for gzip), -1 if not known
 * @param tracesRead       traces read from the log, imported or skipped
 * @param casesImported    cases recorded by this import
 * @param eventsImported   log events recorded as work on those cases
 * @param entriesRecorded  ledger entries recorded (openings, work, handovers, resolutions)
 * @param skippedCount     traces skipped; {@code skipped} lists the first {@value #MAX_LISTED} of them
 * @param error            why a failed import stopped (e.g. the trace and line of a broken file), else null
 * @param eventsPerSecond  events imported per second of the import's duration
 * @param unitAttribute    the attribute the events' units were read from (the mapping's, default org:group)
 * @param notRecorded      per attribute and value, how many events of the imported cases had a value that means
 *                         "not recorded" (a placeholder such as "-", or no unit at all) and what was recorded
 *                         instead
 */
public record ImportReport(
        String importId,
        String fileName,
        String source,
        Status status,
        Instant startedAt,
        Instant finishedAt,
        long bytesTotal,
        long bytesRead,
        long tracesRead,
        long casesImported,
        long eventsImported,
        long entriesRecorded,
        long skippedCount,
        List<Skipped> skipped,
        Failure error,
        long durationMs,
        double eventsPerSecond,
        String unitAttribute,
        List<NotRecorded> notRecorded) {

    public static final int MAX_LISTED = 1000;

    public ImportReport {
        skipped = List.copyOf(skipped);
        notRecorded = notRecorded == null ? List.of() : List.copyOf(notRecorded);
    }

    /**
     * Values taken as "not recorded" in the imported cases.
     *
     * @param attribute  the attribute, e.g. org:resource
     * @param value      the value as found (e.g. "-", ""), null when the attribute was absent
     * @param events     events (or, for trace-level attributes, cases) that had it
     * @param recordedAs what the ledger recorded instead, e.g. "no staff id", "unit UNKNOWN", "left out"
     */
    public record NotRecorded(String attribute, String value, long events, String recordedAs) {
    }

    public enum Status { RUNNING, COMPLETED, FAILED }

    /** A trace not imported: its name, the line it starts at, and why. */
    public record Skipped(String trace, int line, String reason) {
    }

    /**
     * @param kind  e.g. MALFORMED_XML, MISSING_TIMESTAMP, INVALID_VALUE, INVALID_STRUCTURE
     * @param trace the trace's name, null if outside a trace or unnamed
     * @param line  the line of the problem, -1 if not known
     */
    public record Failure(String kind, String trace, int line, String message) {
    }
}
