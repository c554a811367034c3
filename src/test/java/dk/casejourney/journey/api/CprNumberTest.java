package dk.casejourney.journey.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CprNumberTest {

    @ParameterizedTest(name = "{0} is born {1}")
    @CsvSource({
            // seventh digit 0-3: 1900s
            "0101701234, 1970-01-01",
            // seventh digit 4 or 9: 2000-2036, else 1900s
            "2902084321, 2008-02-29",
            "0101379321, 1937-01-01",
            // seventh digit 5-8: 2000-2057 or 1858-1899
            "1503585000, 1858-03-15",
            "1503575000, 2057-03-15",
            // written with a hyphen
            "010170-1234, 1970-01-01"
    })
    void birthDateFollowsTheCenturyRule(String cpr, LocalDate birthDate) {
        assertThat(CprNumber.parse(cpr).birthDate()).isEqualTo(birthDate);
    }

    @Test
    void numbersWithoutAValidModulus11CheckAreAccepted() {
        // 0101701234 weighs to a remainder of 0 under 4,3,2,7,6,5,4,3,2,1; 0101701235 does not.
        assertThat(CprNumber.isValid("0101701235")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3102701234", "0013701234", "2902014321", "010170123", "01017012345", "01017O1234", ""})
    void malformedNumbersAreRefused(String cpr) {
        assertThatThrownBy(() -> CprNumber.parse(cpr)).isInstanceOf(IllegalArgumentException.class)
                                                       .hasMessageNotContaining(cpr.isEmpty() ? "§" : cpr);
    }

    @Test
    void theNumberNeverShowsInToString() {
        assertThat(CprNumber.parse("0101701234").toString()).doesNotContain("0101701234").doesNotContain("010170");
        assertThat(new Citizen("key-1", "sealed-0101701234").toString()).doesNotContain("0101701234");
    }
}
