package dk.casejourney.evaluation.api;

import java.time.Duration;

/** A duration with its unit stated twice: ISO-8601 for people, milliseconds for machines. */
public record TimeSpan(String iso, long millis) {

    public static TimeSpan of(Duration duration) {
        return duration == null ? null : new TimeSpan(duration.toString(), duration.toMillis());
    }
}
