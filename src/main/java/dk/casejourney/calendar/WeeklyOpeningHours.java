package dk.casejourney.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weekly opening hours: zero or more {@link OpeningInterval}s per day of the week, sorted and
 * non-overlapping (touching intervals are merged). Immutable.
 *
 * <p>Text form, used in configuration ({@link #parse(String)}; {@link #toString()} writes it):
 * <pre>
 *   24/7
 *   MON-FRI 08:00-18:00
 *   MON-THU 08:00-16:00; FRI 08:00-14:00
 *   MON,WED 08:00-12:00, 13:00-16:00; SAT 10:00-14:00; SUN CLOSED
 * </pre>
 * Parts are separated by {@code ;}. A part is a day, a day range or a comma-separated list of
 * those, then comma-separated {@code HH:MM-HH:MM} intervals (24:00 allowed as an end) or
 * {@code CLOSED}. Days not mentioned are closed. Case is ignored.
 */
public final class WeeklyOpeningHours {

    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final String EXAMPLE = "write e.g. \"MON-FRI 08:00-16:00\", \"MON-THU 08:00-16:00; FRI 08:00-14:00\" or \"24/7\"";
    private static final long[] NO_INTERVALS = new long[0];

    /** Open every moment of every day. */
    public static final WeeklyOpeningHours ALWAYS_OPEN = everyDay(OpeningInterval.WHOLE_DAY);
    /** Digital self-service: a website, 24/7. */
    public static final WeeklyOpeningHours SELF_SERVICE = ALWAYS_OPEN;
    /** Phone/e-mail contact center: Mon–Fri 08:00–18:00. */
    public static final WeeklyOpeningHours CONTACT_CENTER = weekdays(LocalTime.of(8, 0), LocalTime.of(18, 0));
    /** Citizen service center (Borgerservice): Mon–Fri 10:00–18:00. */
    public static final WeeklyOpeningHours CITIZEN_SERVICE_CENTER = weekdays(LocalTime.of(10, 0), LocalTime.of(18, 0));
    /** The whole-case calendar, also the default for back and specialist offices: Mon–Fri 08:00–16:00. */
    public static final WeeklyOpeningHours WHOLE_CASE = weekdays(LocalTime.of(8, 0), LocalTime.of(16, 0));

    private final Map<DayOfWeek, List<OpeningInterval>> intervals;
    /** Per day (index ordinal), start/end nano-of-day pairs: the hot loop of BusinessCalendar reads these. */
    private final long[][] nanos;

    private WeeklyOpeningHours(Map<DayOfWeek, List<OpeningInterval>> intervals) {
        this.intervals = intervals;
        this.nanos = new long[7][];
        for (DayOfWeek day : DayOfWeek.values()) {
            List<OpeningInterval> list = intervals.get(day);
            long[] pairs = list.isEmpty() ? NO_INTERVALS : new long[list.size() * 2];
            for (int i = 0; i < list.size(); i++) {
                pairs[2 * i] = list.get(i).startNanoOfDay();
                pairs[2 * i + 1] = list.get(i).endNanoOfDay();
            }
            nanos[day.ordinal()] = pairs;
        }
    }

    /**
     * @param intervalsByDay intervals per day; missing days are closed
     * @throws IllegalArgumentException if intervals on a day overlap or the hours never open
     */
    public static WeeklyOpeningHours of(Map<DayOfWeek, ? extends Collection<OpeningInterval>> intervalsByDay) {
        Objects.requireNonNull(intervalsByDay, "intervalsByDay");
        Map<DayOfWeek, List<OpeningInterval>> normalized = new EnumMap<>(DayOfWeek.class);
        boolean opensSometime = false;
        for (DayOfWeek day : DayOfWeek.values()) {
            Collection<OpeningInterval> given = intervalsByDay.get(day);
            List<OpeningInterval> list = given == null ? List.of() : normalize(day, given);
            opensSometime |= !list.isEmpty();
            normalized.put(day, list);
        }
        // A calendar that never opens would make every business time zero and nextOpening undefined.
        if (!opensSometime) {
            throw new IllegalArgumentException("opening hours never open: give at least one interval");
        }
        return new WeeklyOpeningHours(Collections.unmodifiableMap(normalized));
    }

    /** The same hours Monday to Friday, closed at weekends. */
    public static WeeklyOpeningHours weekdays(LocalTime open, LocalTime close) {
        OpeningInterval interval = OpeningInterval.of(open, close);
        Map<DayOfWeek, List<OpeningInterval>> map = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)) {
            map.put(day, List.of(interval));
        }
        return of(map);
    }

    private static WeeklyOpeningHours everyDay(OpeningInterval interval) {
        Map<DayOfWeek, List<OpeningInterval>> map = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            map.put(day, List.of(interval));
        }
        return of(map);
    }

    private static List<OpeningInterval> normalize(DayOfWeek day, Collection<OpeningInterval> given) {
        List<OpeningInterval> sorted = new ArrayList<>(given);
        sorted.forEach(i -> Objects.requireNonNull(i, "opening interval on " + day));
        sorted.sort(Comparator.comparing(OpeningInterval::start));
        List<OpeningInterval> merged = new ArrayList<>();
        for (OpeningInterval next : sorted) {
            if (merged.isEmpty()) {
                merged.add(next);
                continue;
            }
            OpeningInterval last = merged.get(merged.size() - 1);
            if (next.startNanoOfDay() < last.endNanoOfDay()) {
                throw new IllegalArgumentException("opening intervals " + last + " and " + next + " overlap on " + day);
            }
            if (next.startNanoOfDay() == last.endNanoOfDay()) {
                merged.set(merged.size() - 1, OpeningInterval.of(last.start(), next.end()));
            } else {
                merged.add(next);
            }
        }
        return List.copyOf(merged);
    }

    /**
     * Parses the text form described on the class.
     *
     * @throws IllegalArgumentException naming the input and the reason if the text is not valid
     */
    public static WeeklyOpeningHours parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("opening hours are missing (null); " + EXAMPLE);
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("opening hours are empty; " + EXAMPLE);
        }
        if (trimmed.equals("24/7")) {
            return ALWAYS_OPEN;
        }
        Map<DayOfWeek, List<OpeningInterval>> map = new EnumMap<>(DayOfWeek.class);
        for (String rawPart : trimmed.split(";")) {
            String part = rawPart.strip();
            if (part.isEmpty()) {
                throw invalid(text, "empty part between ';' separators");
            }
            String upper = part.toUpperCase(Locale.ROOT);
            int firstDigit = indexOfFirstDigit(upper);
            String daysText;
            List<OpeningInterval> hours;
            if (upper.endsWith("CLOSED") && firstDigit < 0) {
                daysText = upper.substring(0, upper.length() - "CLOSED".length());
                hours = List.of();
            } else if (firstDigit < 0) {
                throw invalid(text, "'" + part + "' has no opening hours; give HH:MM-HH:MM or CLOSED after the days");
            } else {
                daysText = upper.substring(0, firstDigit);
                hours = parseIntervals(text, upper.substring(firstDigit));
            }
            for (DayOfWeek day : parseDays(text, part, daysText)) {
                if (map.containsKey(day)) {
                    throw invalid(text, day + " is given more than once");
                }
                map.put(day, hours);
            }
        }
        try {
            return of(map);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static int indexOfFirstDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static EnumSet<DayOfWeek> parseDays(String text, String part, String daysText) {
        String compact = daysText.replaceAll("\\s+", "");
        if (compact.isEmpty()) {
            throw invalid(text, "'" + part + "' does not say which days; start it with e.g. MON-FRI");
        }
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String token : compact.split(",", -1)) {
            String[] ends = token.split("-", -1);
            if (ends.length == 1) {
                days.add(parseDay(text, ends[0]));
            } else if (ends.length == 2) {
                DayOfWeek from = parseDay(text, ends[0]);
                DayOfWeek to = parseDay(text, ends[1]);
                if (to.compareTo(from) < 0) {
                    throw invalid(text, "day range '" + token + "' runs backwards; weeks run MON to SUN, so list it as two ranges");
                }
                days.addAll(EnumSet.range(from, to));
            } else {
                throw invalid(text, "'" + token + "' is not a day or a day range like MON-FRI");
            }
        }
        return days;
    }

    private static DayOfWeek parseDay(String text, String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (name.equals(day.name()) || name.equals(abbreviation(day))) {
                return day;
            }
        }
        throw invalid(text, "unknown day '" + name + "'; use MON, TUE, WED, THU, FRI, SAT or SUN");
    }

    private static List<OpeningInterval> parseIntervals(String text, String hoursText) {
        List<OpeningInterval> result = new ArrayList<>();
        for (String token : hoursText.split(",", -1)) {
            String trimmed = token.strip();
            Matcher m = INTERVAL.matcher(trimmed);
            if (!m.matches()) {
                throw invalid(text, "'" + trimmed + "' is not an interval; write HH:MM-HH:MM, e.g. 08:00-16:00");
            }
            LocalTime start = parseTime(text, m.group(1), m.group(2), false);
            LocalTime end = parseTime(text, m.group(3), m.group(4), true);
            try {
                result.add(OpeningInterval.of(start, end));
            } catch (IllegalArgumentException e) {
                throw invalid(text, e.getMessage());
            }
        }
        return result;
    }

    private static LocalTime parseTime(String text, String hourText, String minuteText, boolean isEnd) {
        int hour = Integer.parseInt(hourText);
        int minute = Integer.parseInt(minuteText);
        if (isEnd && hour == 24 && minute == 0) {
            return LocalTime.MIDNIGHT;
        }
        if (hour > 23 || minute > 59) {
            throw invalid(text, "'" + hourText + ":" + minuteText + "' is not a time of day"
                    + (isEnd ? " (00:00-23:59, or 24:00 as an end)" : " (00:00-23:59)"));
        }
        if (isEnd && hour == 0 && minute == 0) {
            throw invalid(text, "an interval cannot end at 00:00; use 24:00 for the end of the day");
        }
        return LocalTime.of(hour, minute);
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("invalid opening hours \"" + text + "\": " + reason);
    }

    private static String abbreviation(DayOfWeek day) {
        return day.name().substring(0, 3);
    }

    /** @return the sorted, non-overlapping intervals of the day; empty if closed all day */
    public List<OpeningInterval> on(DayOfWeek day) {
        return intervals.get(day);
    }

    /** @return every day of the week with its intervals (closed days map to an empty list) */
    public Map<DayOfWeek, List<OpeningInterval>> asMap() {
        return intervals;
    }

    /** @return true if open every moment of the week */
    public boolean isAlwaysOpen() {
        return this.equals(ALWAYS_OPEN);
    }

    /** @return the total opening time in a week without holidays or clock changes */
    public Duration perWeek() {
        long total = 0;
        for (long[] pairs : nanos) {
            for (int i = 0; i < pairs.length; i += 2) {
                total += pairs[i + 1] - pairs[i];
            }
        }
        return Duration.ofNanos(total);
    }

    long[] nanosOn(DayOfWeek day) {
        return nanos[day.ordinal()];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeeklyOpeningHours other && intervals.equals(other.intervals);
    }

    @Override
    public int hashCode() {
        return intervals.hashCode();
    }

    /** The text form, which {@link #parse(String)} reads back to an equal object. */
    @Override
    public String toString() {
        if (isAlwaysOpen()) {
            return "24/7";
        }
        List<String> parts = new ArrayList<>();
        DayOfWeek[] days = DayOfWeek.values();
        int i = 0;
        while (i < days.length) {
            List<OpeningInterval> list = intervals.get(days[i]);
            int j = i;
            while (j + 1 < days.length && intervals.get(days[j + 1]).equals(list)) {
                j++;
            }
            if (!list.isEmpty()) {
                String range = i == j ? abbreviation(days[i]) : abbreviation(days[i]) + "-" + abbreviation(days[j]);
                parts.add(range + " " + String.join(", ", list.stream().map(OpeningInterval::toString).toList()));
            }
            i = j + 1;
        }
        return String.join("; ", parts);
    }
}
