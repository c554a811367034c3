package dk.casejourney.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class DanishPublicHolidaysTest {

    private final DanishPublicHolidays holidays = DanishPublicHolidays.instance();

    @Test
    void easterSundayMatchesPublishedDates() {
        // Published Easter dates, including the earliest (22 March) and latest (25 April) possible.
        assertThat(DanishPublicHolidays.easterSunday(2008)).isEqualTo(LocalDate.of(2008, 3, 23));
        assertThat(DanishPublicHolidays.easterSunday(2023)).isEqualTo(LocalDate.of(2023, 4, 9));
        assertThat(DanishPublicHolidays.easterSunday(2024)).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(DanishPublicHolidays.easterSunday(2025)).isEqualTo(LocalDate.of(2025, 4, 20));
        assertThat(DanishPublicHolidays.easterSunday(2000)).isEqualTo(LocalDate.of(2000, 4, 23));
        assertThat(DanishPublicHolidays.easterSunday(1818)).isEqualTo(LocalDate.of(1818, 3, 22));
        assertThat(DanishPublicHolidays.easterSunday(1943)).isEqualTo(LocalDate.of(1943, 4, 25));
        assertThat(DanishPublicHolidays.easterSunday(2038)).isEqualTo(LocalDate.of(2038, 4, 25));
    }

    @Test
    void easterSundayIsAlwaysASundayBetween22MarchAnd25April() {
        for (int year = 1700; year <= 2300; year++) {
            LocalDate easter = DanishPublicHolidays.easterSunday(year);
            assertThat(easter.getDayOfWeek()).as("Easter %d", year).isEqualTo(java.time.DayOfWeek.SUNDAY);
            assertThat(easter).as("Easter %d", year)
                    .isBetween(LocalDate.of(year, 3, 22), LocalDate.of(year, 4, 25));
        }
    }

    @Test
    void closedDaysOf2008AreExactlyTheDanishHolidays() {
        // Easter Sunday 2008 = 23 March: Maundy Thursday 20 March, Good Friday 21 March, Easter Monday
        // 24 March, General Prayer Day (+26) 18 April, Ascension (+39) 1 May, Whit Sunday/Monday 11/12 May.
        assertThat(holidays.closedDays(2008)).containsExactly(
                LocalDate.of(2008, 1, 1),
                LocalDate.of(2008, 3, 20),
                LocalDate.of(2008, 3, 21),
                LocalDate.of(2008, 3, 23),
                LocalDate.of(2008, 3, 24),
                LocalDate.of(2008, 4, 18),
                LocalDate.of(2008, 5, 1),
                LocalDate.of(2008, 5, 11),
                LocalDate.of(2008, 5, 12),
                LocalDate.of(2008, 12, 24),
                LocalDate.of(2008, 12, 25),
                LocalDate.of(2008, 12, 26),
                LocalDate.of(2008, 12, 31));
    }

    @Test
    void generalPrayerDayIsClosedIn2023() {
        // Easter 2023 = 9 April, so General Prayer Day = 9 April + 26 = Friday 5 May 2023.
        assertThat(holidays.isClosed(LocalDate.of(2023, 5, 5))).isTrue();
        assertThat(holidays.closedDays(2023)).hasSize(13);
    }

    @Test
    void generalPrayerDayIsAbolishedFrom2024() {
        // Easter 2024 = 31 March; 31 March + 26 = Friday 26 April 2024, a normal working day.
        assertThat(holidays.isClosed(LocalDate.of(2024, 4, 26))).isFalse();
        assertThat(holidays.closedDays(2024)).hasSize(12)
                .contains(LocalDate.of(2024, 3, 28), LocalDate.of(2024, 3, 29), LocalDate.of(2024, 4, 1),
                        LocalDate.of(2024, 5, 9), LocalDate.of(2024, 5, 20));
    }

    @Test
    void christmasEveAndNewYearsEveAreClosedButNot23December() {
        assertThat(holidays.isClosed(LocalDate.of(2024, 12, 24))).isTrue();
        assertThat(holidays.isClosed(LocalDate.of(2024, 12, 31))).isTrue();
        assertThat(holidays.isClosed(LocalDate.of(2025, 1, 1))).isTrue();
        assertThat(holidays.isClosed(LocalDate.of(2024, 12, 23))).isFalse();
        assertThat(holidays.isClosed(LocalDate.of(2024, 12, 27))).isFalse();
    }

    @Test
    void constitutionDayClosesAtNoonAndIsNotAFullHoliday() {
        // 5 June 2024 is a Wednesday.
        LocalDate constitutionDay = LocalDate.of(2024, 6, 5);
        assertThat(holidays.isClosed(constitutionDay)).isFalse();
        assertThat(holidays.closesEarly(constitutionDay)).contains(LocalTime.NOON);
        assertThat(holidays.closesEarly(LocalDate.of(2024, 6, 4))).isEmpty();
        assertThat(holidays.earlyClosings(2024)).containsExactlyEntriesOf(java.util.Map.of(constitutionDay, LocalTime.NOON));
    }

    @Test
    void whitMondayOn5JuneIsClosedAllDay() {
        // Easter 2017 = 16 April, so Whit Monday = 16 April + 50 = 5 June 2017: the full holiday wins.
        LocalDate whitMonday = LocalDate.of(2017, 6, 5);
        assertThat(holidays.isClosed(whitMonday)).isTrue();
        assertThat(holidays.closesEarly(whitMonday)).isEmpty();
        assertThat(holidays.earlyClosings(2017)).isEmpty();
    }

    @Test
    void yearsAreCachedAndTheCacheIsSafeUnderConcurrentUse() throws Exception {
        Set<LocalDate> first = holidays.closedDays(2031);
        assertThat(holidays.closedDays(2031)).isSameAs(first);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Set<LocalDate>>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int year = 2100 + i % 20;
                tasks.add(() -> holidays.closedDays(year));
            }
            List<Future<Set<LocalDate>>> results = pool.invokeAll(tasks);
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isSameAs(holidays.closedDays(2100 + i % 20));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedDaysAreUnmodifiable() {
        Set<LocalDate> days = holidays.closedDays(2024);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> days.add(LocalDate.of(2024, 7, 1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
