package dk.casejourney.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Durations as people read them, times in Copenhagen in the Danish format. */
class DisplayTest {

    private static final Locale DA = WebConfiguration.DANISH;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void givenDurations_whenShownInDanish_thenHoursMinutesAndDaysInWords() {
        assertThat(Display.duration(2 * HOUR + 15 * MINUTE, DA)).isEqualTo("2 t 15 min");
        assertThat(Display.duration(15 * MINUTE, DA)).isEqualTo("15 min");
        assertThat(Display.duration(45_000, DA)).isEqualTo("45 s");
        assertThat(Display.duration(3 * 24 * HOUR + 4 * HOUR, DA)).isEqualTo("3 dage 4 t");
        assertThat(Display.duration(24 * HOUR, DA)).isEqualTo("1 dag");
        assertThat(Display.duration(2 * HOUR, Locale.ENGLISH)).isEqualTo("2 h");
        assertThat(Display.duration(-90 * MINUTE, DA)).isEqualTo("−1 t 30 min");
    }

    @Test
    void givenBusinessTime_whenShown_thenWorkingDaysOfEightHours() {
        assertThat(Display.businessDuration(24 * HOUR, DA)).isEqualTo("3 arbejdsdage");
        assertThat(Display.businessDuration(8 * HOUR, DA)).isEqualTo("1 arbejdsdag");
        assertThat(Display.businessDuration(20 * HOUR, DA)).isEqualTo("2,5 arbejdsdage");
        assertThat(Display.businessDuration(20 * HOUR, Locale.ENGLISH)).isEqualTo("2.5 working days");
        assertThat(Display.businessDuration(2 * HOUR + 15 * MINUTE, DA)).isEqualTo("2 t 15 min");
    }

    @Test
    void givenAnInstant_whenShown_thenCopenhagenTimeInDanishFormat() {
        // 07:15 UTC in winter is 08:15 in Copenhagen; in summer 09:15.
        assertThat(Display.time(Instant.parse("2024-03-04T07:15:00Z"), DA)).isEqualTo("4. mar. 2024 kl. 08.15");
        assertThat(Display.time(Instant.parse("2024-07-04T07:15:00Z"), DA)).isEqualTo("4. jul. 2024 kl. 09.15");
        assertThat(Display.time(Instant.parse("2024-07-04T07:15:00Z"), Locale.ENGLISH)).isEqualTo("4 Jul 2024, 09:15");
    }
}
