package dk.casejourney.evaluation;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyStoreTest {

    @Test
    void givenYearsFromBeforeZeroToBeyondFourDigits_whenWrittenAsPeriodKeys_thenTheyAreWhatFormatGives() {
        for (int year = -20; year <= 10_020; year++) {
            ZonedDateTime opened = ZonedDateTime.of(year, 1 + Math.floorMod(year, 12), 1, 0, 0, 0, 0, ZoneOffset.UTC);
            assertThat(JourneyStore.year(opened)).as("year %d", year).isEqualTo(String.format("%04d", year));
        }
    }
}
