package dk.casejourney.audit;

import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

import java.util.Collection;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Positions in the event stream as plain numbers: -1 before the first event. */
final class Positions {

    private static final Pattern CPR_LIKE = Pattern.compile("(?<!\\d)\\d{6}-?\\d{4}(?!\\d)");

    private Positions() {
    }

    static long of(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : -1;
    }

    /**
     * The highest position up to which every event is certainly handled: below the token's lowest gap, since
     * an event committed late may sit in a gap.
     */
    static long certainlyHandled(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        TrackingToken lower = WrappedToken.unwrapLowerBound(token);
        if (lower instanceof GapAwareTrackingToken gapAware && !gapAware.getGaps().isEmpty()) {
            return gapAware.getGaps().first() - 1;
        }
        return of(lower);
    }

    /**
     * A processor's error for an administrator: type and message, with anything shaped like a CPR number
     * masked, since database errors may quote the values they refused.
     */
    static String describe(Throwable error) {
        if (error == null) {
            return null;
        }
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return mask(text);
    }

    /** Anything shaped like a CPR number masked. */
    static String mask(String text) {
        return text == null ? null : CPR_LIKE.matcher(text).replaceAll("******-****");
    }

    /** The slowest segment's position, or -1 when some segment has none. */
    static long slowest(Collection<EventTrackerStatus> statuses) {
        return statuses.stream()
                       .mapToLong(status -> status.getCurrentPosition().orElse(-1))
                       .min().orElse(-1);
    }
}
