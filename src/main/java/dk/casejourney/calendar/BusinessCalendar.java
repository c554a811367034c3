package dk.casejourney.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;

/**
 * Business time: weekly opening hours, minus the closed days of the holiday rules, in local time of
 * a zone. Times are given as {@link Instant}s (stored as UTC); opening hours are local wall-clock
 * times, so a day on which the clock changes is 23 or 25 hours long.
 *
 * <p>Method: a span is cut at the zone's offset transitions; inside each piece the offset is fixed,
 * so local time is just the instant shifted, and the open time is summed day by day in local time.
 * Cost is O(days + transitions), whatever the opening hours. This is also exactly consistent with
 * {@link #isOpen(Instant)}: business time is the measure of the instants at which the calendar is open
 * (on the autumn change, both runs of 02:00-03:00 count if open).
 *
 * <p>Immutable and thread-safe.
 */
public final class BusinessCalendar {

    public static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");

    /** nextOpening gives up after this long, which only custom holiday rules closing everything can reach. */
    private static final Duration MAX_SEARCH = Duration.ofDays(3_660);
    /** Nanos are flushed into a Duration before a long could overflow (about 292 years). */
    private static final long FLUSH_NANOS = 1_000_000_000_000_000_000L;
    private static final long NANOS_PER_DAY = OpeningInterval.NANOS_PER_DAY;

    private final WeeklyOpeningHours hours;
    private final HolidayRules holidays;
    private final ZoneId zone;
    private final ZoneRules rules;

    public BusinessCalendar(WeeklyOpeningHours hours, HolidayRules holidays, ZoneId zone) {
        this.hours = Objects.requireNonNull(hours, "hours");
        this.holidays = Objects.requireNonNull(holidays, "holidays");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.rules = zone.getRules();
    }

    /** Opening hours closed on Danish public holidays, in Europe/Copenhagen. */
    public static BusinessCalendar danish(WeeklyOpeningHours hours) {
        return new BusinessCalendar(hours, DanishPublicHolidays.instance(), COPENHAGEN);
    }

    /** Self-service: 24/7 and open on holidays too (it is a website). */
    public static BusinessCalendar selfService() {
        return new BusinessCalendar(WeeklyOpeningHours.SELF_SERVICE, HolidayRules.none(), COPENHAGEN);
    }

    /** The default whole-case calendar: Mon–Fri 08:00–16:00, Danish holidays, Europe/Copenhagen. */
    public static BusinessCalendar wholeCase() {
        return danish(WeeklyOpeningHours.WHOLE_CASE);
    }

    public WeeklyOpeningHours hours() {
        return hours;
    }

    public HolidayRules holidays() {
        return holidays;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * @return the time inside opening hours in [from, to); zero if {@code to} is not after {@code from}
     */
    public Duration businessTimeBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Duration total = Duration.ZERO;
        Instant pieceStart = from;
        while (pieceStart.isBefore(to)) {
            ZoneOffset offset = rules.getOffset(pieceStart);
            Instant pieceEnd = earlierOf(nextTransition(pieceStart), to);
            total = total.plus(openTimeInLocal(
                    LocalDateTime.ofInstant(pieceStart, offset), LocalDateTime.ofInstant(pieceEnd, offset)));
            pieceStart = pieceEnd;
        }
        return total;
    }

    /** @return true if the calendar is open at this instant */
    public boolean isOpen(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(Objects.requireNonNull(t, "t"), zone);
        long nano = local.toLocalTime().toNanoOfDay();
        return openNanosOn(local.toLocalDate(), nano, nano + 1) > 0;
    }

    /**
     * @return {@code t} if the calendar is open at {@code t}, otherwise the first later instant at which it opens
     * @throws IllegalStateException if it does not open within ten years (holiday rules closing everything)
     */
    public Instant nextOpening(Instant t) {
        Objects.requireNonNull(t, "t");
        Instant giveUp = t.plus(MAX_SEARCH);
        Instant pieceStart = t;
        while (pieceStart.isBefore(giveUp)) {
            ZoneOffset offset = rules.getOffset(pieceStart);
            Instant pieceEnd = earlierOf(nextTransition(pieceStart), giveUp);
            LocalDateTime found = firstOpenInLocal(
                    LocalDateTime.ofInstant(pieceStart, offset), LocalDateTime.ofInstant(pieceEnd, offset));
            if (found != null) {
                return found.toInstant(offset);
            }
            pieceStart = pieceEnd;
        }
        throw new IllegalStateException("calendar " + this + " does not open within " + MAX_SEARCH.toDays()
                + " days after " + t);
    }

    private Instant nextTransition(Instant t) {
        ZoneOffsetTransition transition = rules.nextTransition(t);
        return transition == null ? null : transition.getInstant();
    }

    private static Instant earlierOf(Instant candidate, Instant bound) {
        return candidate == null || candidate.isAfter(bound) ? bound : candidate;
    }

    /** Open time in the local range [from, to), day by day. */
    private Duration openTimeInLocal(LocalDateTime from, LocalDateTime to) {
        Duration total = Duration.ZERO;
        long nanos = 0;
        LocalDate last = to.toLocalDate();
        LocalDate day = from.toLocalDate();
        long lo = from.toLocalTime().toNanoOfDay();
        while (!day.isAfter(last)) {
            long hi = day.equals(last) ? to.toLocalTime().toNanoOfDay() : NANOS_PER_DAY;
            if (hi > lo) {
                nanos += openNanosOn(day, lo, hi);
                if (nanos > FLUSH_NANOS) {
                    total = total.plusNanos(nanos);
                    nanos = 0;
                }
            }
            day = day.plusDays(1);
            lo = 0;
        }
        return total.plusNanos(nanos);
    }

    /** First open local moment in [from, limit), or null. */
    private LocalDateTime firstOpenInLocal(LocalDateTime from, LocalDateTime limit) {
        LocalDate last = limit.toLocalDate();
        LocalDate day = from.toLocalDate();
        long lo = from.toLocalTime().toNanoOfDay();
        while (!day.isAfter(last)) {
            long[] pairs = hours.nanosOn(day.getDayOfWeek());
            long closesAt = pairs.length == 0 ? 0 : closesAt(day);
            for (int i = 0; i < pairs.length; i += 2) {
                long start = Math.max(pairs[i], lo);
                if (start < Math.min(pairs[i + 1], closesAt)) {
                    LocalDateTime candidate = day.atStartOfDay().plusNanos(start);
                    return candidate.isBefore(limit) ? candidate : null;
                }
            }
            day = day.plusDays(1);
            lo = 0;
        }
        return null;
    }

    /** Open nanos of the day within nano-of-day range [lo, hi). */
    private long openNanosOn(LocalDate day, long lo, long hi) {
        DayOfWeek dayOfWeek = day.getDayOfWeek();
        long[] pairs = hours.nanosOn(dayOfWeek);
        if (pairs.length == 0) {
            return 0;
        }
        long end = Math.min(hi, closesAt(day));
        long sum = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            long s = Math.max(pairs[i], lo);
            long e = Math.min(pairs[i + 1], end);
            if (e > s) {
                sum += e - s;
            }
        }
        return sum;
    }

    /** Nano-of-day at which the holiday rules end the day's opening hours: 0 if closed, 24h if not limited. */
    private long closesAt(LocalDate day) {
        if (holidays.isClosed(day)) {
            return 0;
        }
        return holidays.closesEarly(day).map(time -> time.toNanoOfDay()).orElse(NANOS_PER_DAY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessCalendar other
                && hours.equals(other.hours) && holidays.equals(other.holidays) && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hours, holidays, zone);
    }

    @Override
    public String toString() {
        return "BusinessCalendar[" + hours + ", " + holidays + ", " + zone + "]";
    }
}
