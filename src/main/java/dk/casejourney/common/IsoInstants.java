package dk.casejourney.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeFormatter;

/**
 * Instants written as the ledger writes them, read without {@link DateTimeFormatter}: a UTC time of the form
 * {@code 2026-12-03T08:04:49Z} or with 1 to 9 fraction digits ({@code .756Z}), which is what {@link Instant#toString()}
 * (Jackson's form for the events' times) and Axon's event table ({@code timeStamp}, always three digits) hold. Every
 * stored event carries two to four of them, and a formatter's parse builds a map of fields and resolves it: a tenth
 * of a rebuild's replay threads on the 2-core machine (docs/benchmarks.md, eighteenth session). Any other text (an
 * offset, lower case, a year beyond 9999, a date that does not exist) goes to the formatter as before, which gives
 * the same instant or the same refusal.
 */
public final class IsoInstants {

    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstants() {
    }

    /** As {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from)}, which Axon reads its times with. */
    public static Instant parseOffsetDateTime(CharSequence text) {
        Instant fast = utc(text);
        return fast != null ? fast : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }

    /**
     * The instant of a canonical UTC text ({@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, a date that exists, hours 0-23,
     * seconds 0-59), or null for any other text.
     */
    static Instant utc(CharSequence text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code count} ASCII digits from {@code from}, or -1 if one is not a digit. */
    private static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Jackson's module for instants read as above; registered after {@code JavaTimeModule}, it takes over
     * {@link Instant} and hands every other form (numbers, offsets, ...) to Jackson's own deserializer.
     */
    public static SimpleModule jacksonModule() {
        return new SimpleModule("ledger-instants").addDeserializer(Instant.class, new Reader());
    }

    private static final class Reader extends StdScalarDeserializer<Instant> {

        private final JsonDeserializer<Instant> otherwise = InstantDeserializer.INSTANT;

        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = utc(parser.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return otherwise.deserialize(parser, context);
        }
    }
}
