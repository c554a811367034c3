package dk.casejourney.common;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import org.axonframework.common.DateTimeUtils;

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
 * the same instant or the same refusal. They are written the same way round: {@link #format} writes what
 * {@link Instant#toString()} writes, without its formatter (Jackson's way of writing an instant: 1.3% of an import's
 * recording thread and 2-3% of each read model's, 2026-12-03). {@link #localEpochSecond} and its neighbours read the
 * date and time of day of such a text for callers that read what follows themselves (the XES reader: offsets).
 */
public final class IsoInstants {

    /** What {@link #localEpochSecond} gives for a text that does not start with a date and time of day. */
    public static final long NOT_A_DATE_TIME = Long.MIN_VALUE;
    private static final int SECONDS_PER_DAY = 86_400;
    private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

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
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z') {
            return null;
        }
        long epochSecond = localEpochSecond(text);
        if (epochSecond == NOT_A_DATE_TIME) {
            return null;
        }
        if (length == 20) {
            return Instant.ofEpochSecond(epochSecond);
        }
        // The digits between the point and the Z.
        int fraction = length - 21;
        int nanos = text.charAt(19) == '.' && fraction >= 1 ? nanos(text, fraction) : -1;
        return nanos < 0 ? null : Instant.ofEpochSecond(epochSecond, nanos);
    }

    /**
     * The date and time of day {@code yyyy-MM-ddTHH:mm:ss} at the start of the text (a four-digit year, a date that
     * exists, hours 0-23, seconds 0-59), as ISO-8601 and XML Schema write them, in seconds since 1970-01-01T00:00 as
     * if in UTC; {@link #NOT_A_DATE_TIME} if the text does not start so. A fraction of a second may follow
     * ({@link #fractionDigits}), then what the caller reads itself (an offset, a zone) from {@link #dateTimeEnd}.
     */
    public static long localEpochSecond(CharSequence text) {
        if (text.length() < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return NOT_A_DATE_TIME;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return NOT_A_DATE_TIME;
        }
        return LocalDate.of(year, month, day).toEpochDay() * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
    }

    /**
     * How many digits the fraction of a second after {@code yyyy-MM-ddTHH:mm:ss} has: 0 if none follows (no
     * {@code .}), -1 if a {@code .} is followed by none or by more than nine.
     */
    public static int fractionDigits(CharSequence text) {
        int length = text.length();
        if (length <= 19 || text.charAt(19) != '.') {
            return 0;
        }
        int end = 20;
        while (end < length && end < 30 && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        // Ten digits read means more than nine.
        int fraction = end - 20;
        return fraction >= 1 && fraction <= 9 ? fraction : -1;
    }

    /** Where a date and time of day with a fraction of so many digits ends. */
    public static int dateTimeEnd(int fractionDigits) {
        return fractionDigits == 0 ? 19 : 20 + fractionDigits;
    }

    /**
     * The nanoseconds of a fraction of so many digits (0-9) after {@code yyyy-MM-ddTHH:mm:ss.}; negative if one of
     * them is not a digit.
     */
    public static int nanos(CharSequence text, int fractionDigits) {
        int nanos = fractionDigits == 0 ? 0 : digits(text, 20, fractionDigits);
        for (int i = fractionDigits; i < 9; i++) {
            nanos *= 10;
        }
        return nanos;
    }

    /**
     * The same text as {@link Instant#toString()}: {@code yyyy-MM-ddTHH:mm:ssZ}, with the fraction of a second in
     * groups of three digits, as many as it needs ({@code .750Z}, {@code .000001Z}). Years outside 0-9999, which
     * ISO-8601 writes with a sign, are left to {@link Instant#toString()}.
     */
    public static String format(Instant instant) {
        int nanos = instant.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        String text = format(instant, fraction);
        return text != null ? text : instant.toString();
    }

    /**
     * The same text as Axon's {@code DateTimeUtils.formatInstant}, which its event table's {@code timeStamp} and the
     * hash chain hold: always three fraction digits, the rest of the second cut off ({@code .000Z}, {@code .123Z} for
     * {@code .123456789}). Years outside 0-9999 are left to Axon's formatter.
     */
    public static String formatMillis(Instant instant) {
        String text = format(instant, 3);
        return text != null ? text : DateTimeUtils.formatInstant(instant);
    }

    /** {@code fraction} digits (0, 3, 6 or 9) of the second, the rest cut off; null outside years 0-9999. */
    private static String format(Instant instant, int fraction) {
        long seconds = instant.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, SECONDS_PER_DAY);
        if (epochDay < FIRST_DAY || epochDay > LAST_DAY) {
            return null;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int nanos = instant.getNano();
        char[] text = new char[fraction == 0 ? 20 : 21 + fraction];
        put(text, 0, date.getYear(), 4);
        text[4] = '-';
        put(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        put(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        put(text, 17, secondOfDay % 60, 2);
        if (fraction > 0) {
            text[19] = '.';
            put(text, 20, fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1_000 : nanos, fraction);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** {@code value} as {@code count} decimal digits, zeros in front, from {@code from}. */
    private static void put(char[] text, int from, int value, int count) {
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number of {@code count} ASCII digits from {@code from}, or -1 if one is not a digit. */
    public static int digits(CharSequence text, int from, int count) {
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
     * Jackson's module for instants read and written as above; registered after {@code JavaTimeModule}, it takes
     * over {@link Instant} and hands every other form (numbers, offsets, ...) to Jackson's own.
     */
    public static SimpleModule jacksonModule() {
        return new SimpleModule("ledger-instants").addDeserializer(Instant.class, new Reader())
                                                  .addSerializer(Instant.class, new Writer());
    }

    /**
     * Jackson's module for instants written as above, and only that: for a mapper whose reading of instants must
     * stay Jackson's own (the web one, whose refusals of bad input are part of the API).
     */
    public static SimpleModule jacksonWriterModule() {
        return new SimpleModule("ledger-instants-written").addSerializer(Instant.class, new Writer());
    }

    /**
     * Writes an instant as text with {@link #format}, where Jackson's own serializer would write
     * {@link Instant#toString()}; a mapper that writes dates as numbers, or a property with a format of its own,
     * gets Jackson's serializer.
     */
    private static final class Writer extends StdScalarSerializer<Instant> implements ContextualSerializer {

        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
                InstantSerializer.INSTANCE.serialize(value, generator, provider);
            } else {
                generator.writeString(format(value));
            }
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            JsonFormat.Value format = findFormatOverrides(provider, property, handledType());
            return format == null || format.equals(JsonFormat.Value.empty()) ? this
                    : InstantSerializer.INSTANCE.createContextual(provider, property);
        }
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
