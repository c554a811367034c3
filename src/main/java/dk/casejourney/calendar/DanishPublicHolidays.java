package dk.casejourney.calendar;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The days on which municipal citizen service is closed in Denmark (DOMAIN.md, "Business time"):
 * New Year's Day; Maundy Thursday, Good Friday, Easter Sunday and Easter Monday; General Prayer Day
 * (Store Bededag, Easter + 26 days) up to and including 2023 only, since it was abolished from 2024;
 * Ascension Day (Easter + 39); Whit Sunday and Whit Monday (Easter + 49, + 50); 24, 25, 26 and
 * 31 December. Constitution Day, 5 June, is a half day: closed from 12:00.
 *
 * <p>One shared instance; each year's dates are computed once and cached, because a business-time
 * computation asks about every day of a span.
 */
public final class DanishPublicHolidays implements HolidayRules {

    /** General Prayer Day was abolished by law from 2024 on. */
    public static final int LAST_YEAR_WITH_GENERAL_PRAYER_DAY = 2023;

    /** Opening hours end at this time on Constitution Day. */
    public static final LocalTime CONSTITUTION_DAY_CLOSING = LocalTime.NOON;

    /** Bounds the cache so that callers asking about arbitrary years cannot grow it without limit. */
    private static final int MAX_CACHED_YEARS = 1_000;

    private static final DanishPublicHolidays INSTANCE = new DanishPublicHolidays();

    private final ConcurrentMap<Integer, YearHolidays> cache = new ConcurrentHashMap<>();

    private DanishPublicHolidays() {
    }

    public static DanishPublicHolidays instance() {
        return INSTANCE;
    }

    /**
     * Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for every
     * Gregorian year.
     */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    /** @return the fully closed days of the year, ascending; unmodifiable. 5 June is not in it (half day). */
    public Set<LocalDate> closedDays(int year) {
        return forYear(year).closed();
    }

    /** @return the half days of the year, each with the time at which opening hours end; unmodifiable */
    public Map<LocalDate, LocalTime> earlyClosings(int year) {
        return forYear(year).earlyClosings();
    }

    @Override
    public boolean isClosed(LocalDate date) {
        return forYear(date.getYear()).closed().contains(date);
    }

    @Override
    public Optional<LocalTime> closesEarly(LocalDate date) {
        YearHolidays year = forYear(date.getYear());
        // A full holiday on 5 June (Whit Sunday or Whit Monday in some years) wins over the half day.
        if (year.closed().contains(date)) {
            return Optional.empty();
        }
        return Optional.ofNullable(year.earlyClosings().get(date));
    }

    @Override
    public String toString() {
        return "Danish public holidays";
    }

    private YearHolidays forYear(int year) {
        YearHolidays cached = cache.get(year);
        if (cached != null) {
            return cached;
        }
        if (cache.size() >= MAX_CACHED_YEARS) {
            return compute(year);
        }
        return cache.computeIfAbsent(year, DanishPublicHolidays::compute);
    }

    private static YearHolidays compute(int year) {
        LocalDate easter = easterSunday(year);
        TreeSet<LocalDate> closed = new TreeSet<>();
        closed.add(LocalDate.of(year, Month.JANUARY, 1));
        closed.add(easter.minusDays(3));
        closed.add(easter.minusDays(2));
        closed.add(easter);
        closed.add(easter.plusDays(1));
        if (year <= LAST_YEAR_WITH_GENERAL_PRAYER_DAY) {
            closed.add(easter.plusDays(26));
        }
        closed.add(easter.plusDays(39));
        closed.add(easter.plusDays(49));
        closed.add(easter.plusDays(50));
        closed.add(LocalDate.of(year, Month.DECEMBER, 24));
        closed.add(LocalDate.of(year, Month.DECEMBER, 25));
        closed.add(LocalDate.of(year, Month.DECEMBER, 26));
        closed.add(LocalDate.of(year, Month.DECEMBER, 31));
        LocalDate constitutionDay = LocalDate.of(year, Month.JUNE, 5);
        Map<LocalDate, LocalTime> early = closed.contains(constitutionDay)
                ? Map.of()
                : Map.of(constitutionDay, CONSTITUTION_DAY_CLOSING);
        return new YearHolidays(Collections.unmodifiableSortedSet(closed), early);
    }

    private record YearHolidays(Set<LocalDate> closed, Map<LocalDate, LocalTime> earlyClosings) {
    }
}
