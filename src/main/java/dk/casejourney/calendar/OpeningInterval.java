package dk.casejourney.calendar;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;

/**
 * One opening interval within a day, half-open: open from {@code start} up to but not including
 * {@code end}. An {@code end} of 00:00 ({@link LocalTime#MIDNIGHT}) means the end of the day
 * (24:00), because {@link LocalTime} cannot express 24:00. Intervals cannot cross midnight; split
 * such hours over two days.
 */
public record OpeningInterval(LocalTime start, LocalTime end) {

    public static final OpeningInterval WHOLE_DAY = new OpeningInterval(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    static final long NANOS_PER_DAY = 86_400_000_000_000L;

    public OpeningInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.equals(LocalTime.MIDNIGHT) && !start.isBefore(end)) {
            throw new IllegalArgumentException("opening interval " + format(start) + "-" + format(end)
                    + " does not end after it starts (intervals cannot cross midnight; use 24:00 for the end of the day)");
        }
    }

    public static OpeningInterval of(LocalTime start, LocalTime end) {
        return new OpeningInterval(start, end);
    }

    /** @return true if the interval runs until the end of the day (24:00) */
    public boolean untilEndOfDay() {
        return end.equals(LocalTime.MIDNIGHT);
    }

    public Duration length() {
        return Duration.ofNanos(endNanoOfDay() - startNanoOfDay());
    }

    long startNanoOfDay() {
        return start.toNanoOfDay();
    }

    long endNanoOfDay() {
        return untilEndOfDay() ? NANOS_PER_DAY : end.toNanoOfDay();
    }

    /** Same form as the configuration text, e.g. {@code 08:00-16:00} or {@code 00:00-24:00}. */
    @Override
    public String toString() {
        return format(start) + "-" + (untilEndOfDay() ? "24:00" : format(end));
    }

    static String format(LocalTime time) {
        return time.getSecond() == 0 && time.getNano() == 0
                ? String.format("%02d:%02d", time.getHour(), time.getMinute())
                : time.toString();
    }
}
