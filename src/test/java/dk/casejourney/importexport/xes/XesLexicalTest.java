package dk.casejourney.importexport.xes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class XesLexicalTest {

    @ParameterizedTest
    @CsvSource({
            "2011-10-11T11:45:40.276+02:00, 276000000, 7200",
            "2011-10-11T11:45:40Z,          0,         0",
            "2011-10-11T11:45:40+01:00,     0,         3600",
            "2011-10-11T11:45:40.2-05:30,   200000000, -19800",
            "2011-10-11T11:45:40.123456789+00:00, 123456789, 0",
    })
    void parsesXsDateTimeKeepingOffsetAndFraction(String text, int nanos, int offsetSeconds) {
        OffsetDateTime parsed = XesLexical.parseDate(text);

        assertThat(parsed.getNano()).isEqualTo(nanos);
        assertThat(parsed.getOffset()).isEqualTo(ZoneOffset.ofTotalSeconds(offsetSeconds));
        assertThat(XesLexical.parseDate(XesLexical.formatDate(parsed))).isEqualTo(parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2011-10-11T11:45:40",                    // no offset: the instant would be a guess
            "2011-10-11T11:45+02:00",                 // seconds are mandatory in xs:dateTime
            "2011-10-11T11:45:40.1234567890+02:00",   // more than nine fraction digits
            "2011-02-30T11:45:40+02:00",              // no such day
            "2011-10-11 11:45:40+02:00",
            "2011-10-11T11:45:40+02:00:30",
            "11/10/2011",
    })
    void rejectsInvalidDates(String text) {
        assertThatThrownBy(() -> XesLexical.parseDate(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "2011-10-11T11:45:40.276+02:00, 2011-10-11T11:45:40.276+02:00",
            "2011-10-11T11:45:40Z,          2011-10-11T11:45:40.000+00:00",
            "2011-10-11T11:45:40.1234+01:00, 2011-10-11T11:45:40.1234+01:00",
    })
    void writesOffsetAndAtLeastMilliseconds(String in, String out) {
        assertThat(XesLexical.formatDate(OffsetDateTime.parse(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12a", "1.5", "", "0x10", "99999999999999999999"})
    void rejectsInvalidInts(String text) {
        assertThatThrownBy(() -> XesLexical.parseInt(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,5", "Infinity", "1d", "0x1p3", "", "abc"})
    void rejectsInvalidFloats(String text) {
        assertThatThrownBy(() -> XesLexical.parseFloat(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3832541524E7", "-0.5", ".5", "5.", "INF", "-INF", "NaN", "1e-300"})
    void floatsRoundTrip(String text) {
        double value = XesLexical.parseFloat(text);
        // Double.compare so that NaN counts as equal to itself, as in record equality.
        assertThat(Double.compare(XesLexical.parseFloat(XesLexical.formatFloat(value)), value)).isZero();
    }
}
