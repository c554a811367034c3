package dk.casejourney.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeeklyOpeningHoursTest {

    private static OpeningInterval interval(String start, String end) {
        return OpeningInterval.of(LocalTime.parse(start), LocalTime.parse(end));
    }

    @Test
    void defaultsHaveTheDomainHours() {
        assertThat(WeeklyOpeningHours.CONTACT_CENTER.on(DayOfWeek.MONDAY)).containsExactly(interval("08:00", "18:00"));
        assertThat(WeeklyOpeningHours.CONTACT_CENTER.on(DayOfWeek.SATURDAY)).isEmpty();
        assertThat(WeeklyOpeningHours.CITIZEN_SERVICE_CENTER.on(DayOfWeek.FRIDAY)).containsExactly(interval("10:00", "18:00"));
        assertThat(WeeklyOpeningHours.WHOLE_CASE.perWeek()).isEqualTo(Duration.ofHours(40));
        assertThat(WeeklyOpeningHours.SELF_SERVICE.perWeek()).isEqualTo(Duration.ofHours(168));
        assertThat(WeeklyOpeningHours.SELF_SERVICE.isAlwaysOpen()).isTrue();
        assertThat(WeeklyOpeningHours.WHOLE_CASE.isAlwaysOpen()).isFalse();
    }

    @Test
    void parsesWeekdayRange() {
        assertThat(WeeklyOpeningHours.parse("MON-FRI 08:00-18:00")).isEqualTo(WeeklyOpeningHours.CONTACT_CENTER);
        assertThat(WeeklyOpeningHours.parse("  mon - fri  10:00 - 18:00 ")).isEqualTo(WeeklyOpeningHours.CITIZEN_SERVICE_CENTER);
    }

    @Test
    void parsesSeveralPartsAndIntervals() {
        WeeklyOpeningHours hours = WeeklyOpeningHours.parse("MON-THU 08:00-16:00; FRI 08:00-14:00");
        assertThat(hours.on(DayOfWeek.THURSDAY)).containsExactly(interval("08:00", "16:00"));
        assertThat(hours.on(DayOfWeek.FRIDAY)).containsExactly(interval("08:00", "14:00"));
        assertThat(hours.perWeek()).isEqualTo(Duration.ofHours(4 * 8 + 6));

        WeeklyOpeningHours split = WeeklyOpeningHours.parse("MON,WED 13:00-16:00, 08:00-12:00; SAT 10:00-24:00; SUN CLOSED");
        assertThat(split.on(DayOfWeek.MONDAY)).containsExactly(interval("08:00", "12:00"), interval("13:00", "16:00"));
        assertThat(split.on(DayOfWeek.WEDNESDAY)).isEqualTo(split.on(DayOfWeek.MONDAY));
        assertThat(split.on(DayOfWeek.TUESDAY)).isEmpty();
        assertThat(split.on(DayOfWeek.SATURDAY)).containsExactly(OpeningInterval.of(LocalTime.of(10, 0), LocalTime.MIDNIGHT));
        assertThat(split.on(DayOfWeek.SATURDAY).get(0).length()).isEqualTo(Duration.ofHours(14));
    }

    @Test
    void parses24Over7() {
        assertThat(WeeklyOpeningHours.parse("24/7")).isEqualTo(WeeklyOpeningHours.ALWAYS_OPEN);
        assertThat(WeeklyOpeningHours.parse("MON-SUN 00:00-24:00").isAlwaysOpen()).isTrue();
    }

    @Test
    void fullDayNamesAreAccepted() {
        assertThat(WeeklyOpeningHours.parse("Monday-Friday 08:00-16:00")).isEqualTo(WeeklyOpeningHours.WHOLE_CASE);
    }

    @Test
    void toStringIsTheTextFormAndParsesBack() {
        assertThat(WeeklyOpeningHours.WHOLE_CASE).hasToString("MON-FRI 08:00-16:00");
        assertThat(WeeklyOpeningHours.ALWAYS_OPEN).hasToString("24/7");
        for (String text : List.of("MON-THU 08:00-16:00; FRI 08:00-14:00",
                "MON 08:00-12:00, 13:00-16:00; WED 09:00-10:00; SAT-SUN 10:00-24:00")) {
            WeeklyOpeningHours hours = WeeklyOpeningHours.parse(text);
            assertThat(hours).hasToString(text);
            assertThat(WeeklyOpeningHours.parse(hours.toString())).isEqualTo(hours);
        }
    }

    @Test
    void touchingIntervalsAreMerged() {
        WeeklyOpeningHours hours = WeeklyOpeningHours.of(Map.of(DayOfWeek.MONDAY,
                List.of(interval("12:00", "16:00"), interval("08:00", "12:00"))));
        assertThat(hours.on(DayOfWeek.MONDAY)).containsExactly(interval("08:00", "16:00"));
    }

    @Test
    void isImmutable() {
        WeeklyOpeningHours hours = WeeklyOpeningHours.CONTACT_CENTER;
        assertThatThrownBy(() -> hours.on(DayOfWeek.MONDAY).add(interval("20:00", "21:00")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> hours.asMap().put(DayOfWeek.SUNDAY, List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                    | opening hours are empty",
            "'   '                                 | opening hours are empty",
            "MON-FRI                               | has no opening hours",
            "08:00-16:00                           | does not say which days",
            "MOO 08:00-16:00                       | unknown day 'MOO'",
            "FRI-MON 08:00-16:00                   | runs backwards",
            "MON-WED-FRI 08:00-16:00               | is not a day or a day range",
            "MON 8-16                              | '8-16' is not an interval",
            "MON 18:00-08:00                       | does not end after it starts",
            "MON 08:00-00:00                       | use 24:00 for the end of the day",
            "MON 25:00-26:00                       | '25:00' is not a time of day",
            "MON 08:60-10:00                       | '08:60' is not a time of day",
            "MON 24:00-24:00                       | '24:00' is not a time of day",
            "MON 08:00-12:00, 11:00-13:00          | overlap on MONDAY",
            "MON-FRI 08:00-16:00; FRI 08:00-14:00  | FRIDAY is given more than once",
            "MON-FRI 08:00-16:00;;SAT 10:00-12:00  | empty part",
            "SAT-SUN CLOSED                        | never open",
    })
    void badInputGivesAClearReason(String text, String reason) {
        assertThatThrownBy(() -> WeeklyOpeningHours.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opening hours")
                .hasMessageContaining(reason);
    }

    @Test
    void nullInputIsRejectedClearly() {
        assertThatThrownBy(() -> WeeklyOpeningHours.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void badInputMessageQuotesTheInput() {
        assertThatThrownBy(() -> WeeklyOpeningHours.parse("MON-FRI 08:00-16:00; XYZ 10:00-12:00"))
                .hasMessage("invalid opening hours \"MON-FRI 08:00-16:00; XYZ 10:00-12:00\": "
                        + "unknown day 'XYZ'; use MON, TUE, WED, THU, FRI, SAT or SUN");
    }

    @Test
    void overlappingIntervalsAreRejectedWhenBuiltInCode() {
        assertThatThrownBy(() -> WeeklyOpeningHours.of(Map.of(DayOfWeek.MONDAY,
                List.of(interval("08:00", "12:00"), interval("10:00", "14:00")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlap");
    }
}
