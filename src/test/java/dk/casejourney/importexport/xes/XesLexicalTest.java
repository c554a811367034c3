package dk.casejourney.importexport.xes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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

    /** A valid xs:dateTime of the form XES files write, with every part drawn at random. */
    private static String randomDate(SplittableRandom random) {
        int year = random.nextInt(10_000);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(YearMonth.of(year, month).lengthOfMonth());
        StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                                                             random.nextInt(24), random.nextInt(60),
                                                             random.nextInt(60)));
        int fraction = random.nextInt(10);
        if (fraction > 0) {
            text.append('.');
            for (int digit = 0; digit < fraction; digit++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
        }
        int offset = random.nextInt(4);
        if (offset == 0) {
            text.append('Z');
        } else {
            int hours = random.nextInt(19);
            text.append(random.nextBoolean() ? '+' : '-').append(String.format("%02d:%02d", hours,
                                                                               hours == 18 ? 0 : random.nextInt(60)));
        }
        return text.toString();
    }

    private static OffsetDateTime formatted(String text) {
        try {
            return XesLexical.formattedDate(text);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    @Test
    void givenValidDatesOfEveryShape_whenReadWithoutTheFormatter_thenEachIsReadAsTheFormatterReadsIt() {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int index = 0; index < 100_000; index++) {
            String text = randomDate(random);

            assertThat(XesLexical.quickDate(text)).as(text).isNotNull().isEqualTo(XesLexical.formattedDate(text));
        }
        for (String edge : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-18:00",
                                         "2024-02-29T12:00:00+18:00", "2011-10-11T11:45:40-00:00"}) {
            assertThat(XesLexical.quickDate(edge)).as(edge).isEqualTo(XesLexical.formattedDate(edge));
        }
    }

    @Test
    void givenTextsNearTheForm_whenReadBothWays_thenTheQuickReadingIsTheFormattersOrLeavesItToTheFormatter() {
        // Valid dates with characters changed, inserted or removed: the quick reading may leave a text to the
        // formatter (null), but it never accepts what the formatter refuses nor reads a value differently.
        String alphabet = "0123456789012345678901234567890123456789-:+.TZ tz\u0663";
        SplittableRandom random = new SplittableRandom(4122026);
        int readQuickly = 0;
        int refused = 0;
        for (int index = 0; index < 30_000; index++) {
            StringBuilder text = new StringBuilder(randomDate(random));
            for (int change = 1 + random.nextInt(2); change > 0; change--) {
                int at = random.nextInt(text.length());
                char character = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, character);
                    case 1 -> text.insert(at, character);
                    default -> text.deleteCharAt(at);
                }
            }
            String changed = text.toString();
            OffsetDateTime quick = XesLexical.quickDate(changed);
            OffsetDateTime byFormatter = formatted(changed);

            if (quick != null) {
                assertThat(quick).as(changed).isEqualTo(byFormatter);
                readQuickly++;
            }
            if (byFormatter == null) {
                refused++;
            }
        }
        assertThat(readQuickly).as("changes that leave a valid date are still read quickly").isGreaterThan(2_000);
        assertThat(refused).as("most changes make the text invalid").isGreaterThan(15_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2023-02-29T12:00:00Z", "2024-04-31T12:00:00Z", "2024-13-01T12:00:00Z", "2024-00-10T12:00:00Z",
            "2024-01-00T12:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T12:60:00Z", "2024-01-01T12:00:60Z",
            "2024-01-01T12:00:00+18:01", "2024-01-01T12:00:00-19:00", "2024-01-01T12:00:00+02:60",
            "2024-01-01T12:00:00.Z", "2024-01-01T12:00:00.1234567890Z", "2024-01-01T12:00:00+0200",
    })
    void givenValuesOutOfRange_whenParsed_thenRefusedWithTheFormattersReason(String text) {
        assertThat(XesLexical.quickDate(text)).as("left to the formatter").isNull();
        assertThatThrownBy(() -> XesLexical.parseDate(text)).isInstanceOf(IllegalArgumentException.class)
                                                             .hasMessageStartingWith("expected xs:dateTime");
    }
}
