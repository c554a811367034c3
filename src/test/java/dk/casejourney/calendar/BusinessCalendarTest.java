package dk.casejourney.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

    private static final ZoneId CPH = BusinessCalendar.COPENHAGEN;

    private final BusinessCalendar wholeCase = BusinessCalendar.wholeCase();
    private final BusinessCalendar selfService = BusinessCalendar.selfService();

    /** Local wall-clock time in Copenhagen as an instant. */
    private static Instant cph(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(CPH).toInstant();
    }

    @Test
    void weekdaySpanCountsOnlyOpeningHours() {
        // Mon 4 Nov 2024 10:00 to Wed 6 Nov 2024 09:00 with 08-16: 6h + 8h + 1h.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 11, 4, 10, 0), cph(2024, 11, 6, 9, 0)))
                .isEqualTo(Duration.ofHours(15));
    }

    @Test
    void easter2024HolidaysAreClosed() {
        // Wed 27 March 10:00 to Tue 2 April 10:00: Wed 6h; Thu 28, Fri 29 (Maundy Thursday, Good Friday),
        // the weekend and Mon 1 April (Easter Monday) closed; Tue 2h. Total 8h.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 3, 27, 10, 0), cph(2024, 4, 2, 10, 0)))
                .isEqualTo(Duration.ofHours(8));
    }

    @Test
    void generalPrayerDayCountsIn2024ButNotIn2023() {
        // Fri 26 April 2024 is a working day (abolished); Fri 5 May 2023 was General Prayer Day.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 4, 26, 0, 0), cph(2024, 4, 27, 0, 0)))
                .isEqualTo(Duration.ofHours(8));
        assertThat(wholeCase.businessTimeBetween(cph(2023, 5, 5, 0, 0), cph(2023, 5, 6, 0, 0)))
                .isZero();
    }

    @Test
    void constitutionDayOnAWeekdayClosesAtNoon() {
        // Wednesday 5 June 2024: 08:00-12:00 only.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 6, 5, 0, 0), cph(2024, 6, 6, 0, 0)))
                .isEqualTo(Duration.ofHours(4));
        assertThat(wholeCase.isOpen(cph(2024, 6, 5, 11, 59))).isTrue();
        assertThat(wholeCase.isOpen(cph(2024, 6, 5, 12, 0))).isFalse();
        // Citizen service 10-18 on 5 June: 10:00-12:00.
        BusinessCalendar citizenService = BusinessCalendar.danish(WeeklyOpeningHours.CITIZEN_SERVICE_CENTER);
        assertThat(citizenService.businessTimeBetween(cph(2024, 6, 5, 0, 0), cph(2024, 6, 6, 0, 0)))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void christmasEveAndNewYearsEveAreClosed() {
        // Tue 24 Dec 2024 and Tue 31 Dec 2024 are closed; Mon 23 and Fri 27, Mon 30 Dec are open.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 12, 24, 0, 0), cph(2024, 12, 25, 0, 0))).isZero();
        assertThat(wholeCase.businessTimeBetween(cph(2024, 12, 31, 0, 0), cph(2025, 1, 1, 0, 0))).isZero();
        // Mon 23 Dec 08:00 to Thu 2 Jan 2025 16:00: 23, 27, 30 Dec and 2 Jan = 4 days * 8h.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 12, 23, 8, 0), cph(2025, 1, 2, 16, 0)))
                .isEqualTo(Duration.ofHours(32));
    }

    @Test
    void selfServiceIsOpenOnHolidays() {
        assertThat(selfService.businessTimeBetween(cph(2024, 12, 24, 0, 0), cph(2024, 12, 25, 0, 0)))
                .isEqualTo(Duration.ofHours(24));
        assertThat(selfService.isOpen(cph(2024, 12, 25, 3, 0))).isTrue();
    }

    @Test
    void alwaysOpenAcrossSpringForwardIs47Hours() {
        // The clocks go 02:00 -> 03:00 on Sunday 31 March 2024, so Sat 12:00 to Mon 12:00 local is 47h.
        assertThat(selfService.businessTimeBetween(cph(2024, 3, 30, 12, 0), cph(2024, 4, 1, 12, 0)))
                .isEqualTo(Duration.ofHours(47));
    }

    @Test
    void alwaysOpenAcrossFallBackIs49Hours() {
        // The clocks go 03:00 -> 02:00 on Sunday 27 October 2024, so Sat 12:00 to Mon 12:00 local is 49h.
        assertThat(selfService.businessTimeBetween(cph(2024, 10, 26, 12, 0), cph(2024, 10, 28, 12, 0)))
                .isEqualTo(Duration.ofHours(49));
    }

    @Test
    void weekdayHoursAreUnaffectedByTheClockChange() {
        // Fri 25 Oct 2024 15:00 to Mon 28 Oct 09:00 with 08-16: Fri 1h + Mon 1h.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 10, 25, 15, 0), cph(2024, 10, 28, 9, 0)))
                .isEqualTo(Duration.ofHours(2));
        // Spring week: Wed 27 Mar 2024 15:00 to Tue 2 Apr 09:00 = Wed 1h + Tue 1h (Easter holidays between).
        assertThat(wholeCase.businessTimeBetween(cph(2024, 3, 27, 15, 0), cph(2024, 4, 2, 9, 0)))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void hoursInsideTheClockChangeCountWallClockTime() {
        // Sunday opening 02:00-03:00 without holidays: on 31 March 2024 that local hour does not exist
        // (0h); on 27 October 2024 it happens twice (2h). A whole Sunday is 23h and 25h respectively.
        BusinessCalendar nightHour = new BusinessCalendar(
                WeeklyOpeningHours.parse("SUN 02:00-03:00"), HolidayRules.none(), CPH);
        assertThat(nightHour.businessTimeBetween(cph(2024, 3, 31, 0, 0), cph(2024, 4, 1, 0, 0))).isZero();
        assertThat(nightHour.businessTimeBetween(cph(2024, 10, 27, 0, 0), cph(2024, 10, 28, 0, 0)))
                .isEqualTo(Duration.ofHours(2));
        BusinessCalendar sundays = new BusinessCalendar(
                WeeklyOpeningHours.parse("SUN 00:00-24:00"), HolidayRules.none(), CPH);
        assertThat(sundays.businessTimeBetween(cph(2024, 3, 30, 0, 0), cph(2024, 4, 2, 0, 0)))
                .isEqualTo(Duration.ofHours(23));
        assertThat(sundays.businessTimeBetween(cph(2024, 10, 26, 0, 0), cph(2024, 10, 29, 0, 0)))
                .isEqualTo(Duration.ofHours(25));
    }

    @Test
    void zeroAndNegativeSpansAreZero() {
        Instant t = cph(2024, 11, 5, 10, 0);
        assertThat(wholeCase.businessTimeBetween(t, t)).isZero();
        assertThat(wholeCase.businessTimeBetween(t, t.minus(Duration.ofDays(3)))).isZero();
        assertThat(selfService.businessTimeBetween(t.plusSeconds(1), t)).isZero();
    }

    @Test
    void partialMinutesAndSecondsAreCountedExactly() {
        Instant from = cph(2024, 11, 5, 15, 59).plusSeconds(30).plusNanos(250);
        assertThat(wholeCase.businessTimeBetween(from, cph(2024, 11, 5, 18, 0)))
                .isEqualTo(Duration.ofSeconds(30).minusNanos(250));
    }

    @Test
    void wholeYear2024HasTheHandCountedHours() {
        // 2024 has 262 weekdays; 10 weekday holidays (1 Jan, 28 and 29 Mar, 1 Apr, 9 May, 20 May,
        // 24, 25, 26 and 31 Dec); 5 June (Wednesday) is a half day: (262 - 10) * 8h - 4h = 2012h.
        assertThat(wholeCase.businessTimeBetween(cph(2024, 1, 1, 0, 0), cph(2025, 1, 1, 0, 0)))
                .isEqualTo(Duration.ofHours(2012));
    }

    @Test
    void threeYearSpanIsQuickAndEqualsTheSumOfItsYears() {
        Instant start = cph(2022, 3, 15, 9, 30);
        Instant end = cph(2025, 3, 15, 9, 30);
        Duration whole = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> wholeCase.businessTimeBetween(start, end));
        Duration parts = wholeCase.businessTimeBetween(start, cph(2023, 3, 15, 9, 30))
                .plus(wholeCase.businessTimeBetween(cph(2023, 3, 15, 9, 30), cph(2024, 3, 15, 9, 30)))
                .plus(wholeCase.businessTimeBetween(cph(2024, 3, 15, 9, 30), end));
        assertThat(whole).isEqualTo(parts);
        // About 3 * 250 working days of 8h: a sanity bound that would catch gross errors.
        assertThat(whole).isBetween(Duration.ofHours(3 * 245 * 8), Duration.ofHours(3 * 255 * 8));
    }

    @Test
    void centuriesSpanIsHandledWithoutOverflow() {
        // 300 years of 24/7 in UTC is more nanoseconds than a long holds; it must equal the calendar span.
        BusinessCalendar utc = new BusinessCalendar(WeeklyOpeningHours.ALWAYS_OPEN, HolidayRules.none(), ZoneOffset.UTC);
        Instant from = Instant.parse("1900-01-01T00:00:00Z");
        Instant to = Instant.parse("2200-01-01T00:00:00Z");
        Duration result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> utc.businessTimeBetween(from, to));
        assertThat(result).isEqualTo(Duration.between(from, to));
    }

    @Test
    void businessTimeAgreesWithMinuteByMinuteCountUsingIsOpen() {
        // Independent check: count open minutes with isOpen over DST weeks, holidays and a half day.
        BusinessCalendar calendar = BusinessCalendar.danish(
                WeeklyOpeningHours.parse("MON-THU 07:30-11:45, 12:15-16:00; FRI 08:00-14:00; SUN 01:00-04:00"));
        Random random = new Random(42);
        for (Instant windowStart : List.of(cph(2024, 3, 26, 0, 0), cph(2024, 10, 22, 0, 0), cph(2024, 6, 1, 0, 0))) {
            for (int i = 0; i < 5; i++) {
                Instant from = windowStart.plus(random.nextInt(7 * 24 * 60), ChronoUnit.MINUTES);
                Instant to = from.plus(random.nextInt(5 * 24 * 60), ChronoUnit.MINUTES);
                long openMinutes = 0;
                for (Instant t = from; t.isBefore(to); t = t.plus(1, ChronoUnit.MINUTES)) {
                    if (calendar.isOpen(t)) {
                        openMinutes++;
                    }
                }
                assertThat(calendar.businessTimeBetween(from, to)).as("%s to %s", from, to)
                        .isEqualTo(Duration.ofMinutes(openMinutes));
            }
        }
    }

    @Test
    void isOpenUsesLocalTimeAndHalfOpenIntervals() {
        assertThat(wholeCase.isOpen(cph(2024, 11, 5, 8, 0))).isTrue();
        assertThat(wholeCase.isOpen(cph(2024, 11, 5, 7, 59))).isFalse();
        assertThat(wholeCase.isOpen(cph(2024, 11, 5, 16, 0))).isFalse();
        assertThat(wholeCase.isOpen(cph(2024, 11, 9, 10, 0))).as("Saturday").isFalse();
        // 07:30 UTC is 08:30 in Copenhagen in winter.
        assertThat(wholeCase.isOpen(Instant.parse("2024-11-05T07:30:00Z"))).isTrue();
        assertThat(wholeCase.isOpen(Instant.parse("2024-11-05T06:30:00Z"))).isFalse();
    }

    @Test
    void nextOpeningIsTheSameInstantWhenOpen() {
        Instant open = cph(2024, 11, 5, 9, 17);
        assertThat(wholeCase.nextOpening(open)).isEqualTo(open);
    }

    @Test
    void nextOpeningSkipsWeekendAndClockChange() {
        // After Friday 25 Oct 2024 17:00 the next opening is Monday 28 Oct 08:00, now UTC+1 = 07:00Z.
        assertThat(wholeCase.nextOpening(cph(2024, 10, 25, 17, 0)))
                .isEqualTo(Instant.parse("2024-10-28T07:00:00Z"));
    }

    @Test
    void nextOpeningSkipsEasterHolidays() {
        // Maundy Thursday 28 March 2024 09:00: closed until Tuesday 2 April 08:00 (UTC+2 = 06:00Z).
        assertThat(wholeCase.nextOpening(cph(2024, 3, 28, 9, 0)))
                .isEqualTo(Instant.parse("2024-04-02T06:00:00Z"));
        // Constitution Day afternoon: next is Thursday 6 June 08:00.
        assertThat(wholeCase.nextOpening(cph(2024, 6, 5, 12, 30))).isEqualTo(cph(2024, 6, 6, 8, 0));
    }

    @Test
    void nextOpeningSameDayLaterInterval() {
        BusinessCalendar split = BusinessCalendar.danish(WeeklyOpeningHours.parse("MON-FRI 08:00-12:00, 13:00-16:00"));
        assertThat(split.nextOpening(cph(2024, 11, 5, 12, 10))).isEqualTo(cph(2024, 11, 5, 13, 0));
        assertThat(split.nextOpening(cph(2024, 11, 5, 6, 0))).isEqualTo(cph(2024, 11, 5, 8, 0));
    }

    @Test
    void nextOpeningFailsClearlyWhenHolidaysCloseEverything() {
        HolidayRules alwaysClosed = new HolidayRules() {
            @Override
            public boolean isClosed(LocalDate date) {
                return true;
            }

            @Override
            public java.util.Optional<LocalTime> closesEarly(LocalDate date) {
                return java.util.Optional.empty();
            }
        };
        BusinessCalendar never = new BusinessCalendar(WeeklyOpeningHours.WHOLE_CASE, alwaysClosed, CPH);
        assertThatThrownBy(() -> never.nextOpening(cph(2024, 1, 1, 0, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open within");
    }

    @Test
    void otherZonesUseTheirOwnLocalTime() {
        BusinessCalendar utc = new BusinessCalendar(
                WeeklyOpeningHours.of(Map.of(DayOfWeek.TUESDAY, List.of(OpeningInterval.of(LocalTime.of(8, 0), LocalTime.of(9, 0))))),
                HolidayRules.none(), ZoneOffset.UTC);
        assertThat(utc.isOpen(Instant.parse("2024-11-05T08:30:00Z"))).isTrue();
        assertThat(wholeCase.isOpen(Instant.parse("2024-11-05T07:30:00Z"))).isTrue();
        assertThat(utc.isOpen(Instant.parse("2024-11-05T07:30:00Z"))).isFalse();
    }
}
