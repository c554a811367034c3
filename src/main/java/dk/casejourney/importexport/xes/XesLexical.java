package dk.casejourney.importexport.xes;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Pattern;

/** Lexical forms of XES values (XML Schema types), shared by reader and writer so they agree. */
final class XesLexical {

    /**
     * xs:dateTime restricted to what an OffsetDateTime can hold: seconds mandatory, 1-9 fraction digits,
     * offset mandatory ("Z" or ±hh:mm). ISO_OFFSET_DATE_TIME is not used because it accepts a missing
     * seconds field and offsets with seconds, which are not xs:dateTime.
     */
    private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    /** Always at least milliseconds (as XES tools expect), more digits only when the value has them. */
    private static final DateTimeFormatter FORMATTER = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .appendFraction(ChronoField.NANO_OF_SECOND, 3, 9, true)
            .appendOffset("+HH:MM", "+00:00")
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE);

    /** Nanoseconds of one unit of the last of n fraction digits (index n, 1-9). */
    private static final int[] NANOS_PER_DIGIT = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
                                                  10, 1};
    private static final Pattern LONG = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DOUBLE =
            Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private XesLexical() {
    }

    /** @throws IllegalArgumentException with a reason if the text is not a valid value */
    static OffsetDateTime parseDate(String text) {
        String trimmed = text.trim();
        OffsetDateTime quick = quickDate(trimmed);
        return quick != null ? quick : formattedDate(trimmed);
    }

    /** The formatter's reading: every valid form, and the reason for an invalid one. */
    static OffsetDateTime formattedDate(String text) {
        try {
            return OffsetDateTime.parse(text, PARSER);
        } catch (DateTimeParseException e) {
            // The cause names the offending field ("Invalid value for MonthOfYear ..."), more useful than the wrapper.
            String detail = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IllegalArgumentException("expected xs:dateTime with offset, e.g. "
                    + "2011-10-11T11:45:40.276+02:00; " + detail, e);
        }
    }

    /**
     * The form XES files write, {@code yyyy-MM-ddTHH:mm:ss[.f…](Z|±hh:mm)} with a four-digit year, read without the
     * formatter: the formatter took a third of the thread reading a log (2026-12-04). Anything else, or a value out
     * of range, gives null and is left to {@link #formattedDate}, which reads it or says why not, so both readings
     * accept exactly the same texts with the same values (XesLexicalTest compares them).
     */
    static OffsetDateTime quickDate(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
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
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && isDigit(text.charAt(at))) {
                at++;
            }
            int count = at - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(text, start, count) * NANOS_PER_DIGIT[count];
        }
        ZoneOffset offset;
        if (at == length - 1 && text.charAt(at) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int hours = digits(text, at + 1, 2);
            int minutes = digits(text, at + 4, 2);
            if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59 || (hours == 18 && minutes > 0)) {
                return null;
            }
            int sign = text.charAt(at) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } else {
            return null;
        }
        if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
    }

    /** The value of {@code count} ASCII digits from {@code start}, or -1 if any is not one. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int index = start; index < start + count; index++) {
            char digit = text.charAt(index);
            if (!isDigit(digit)) {
                return -1;
            }
            value = value * 10 + (digit - '0');
        }
        return value;
    }

    private static boolean isDigit(char character) {
        return character >= '0' && character <= '9';
    }

    static String formatDate(OffsetDateTime value) {
        if (value.getOffset().getTotalSeconds() % 60 != 0) {
            // xs:dateTime offsets have no seconds field; writing it truncated would change the instant.
            throw new IllegalArgumentException("offset " + value.getOffset() + " cannot be written as xs:dateTime");
        }
        return FORMATTER.format(value);
    }

    static long parseInt(String text) {
        String t = text.trim();
        if (!LONG.matcher(t).matches()) {
            throw new IllegalArgumentException("not an integer");
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("integer out of the 64-bit range", e);
        }
    }

    /** xs:double; Double.parseDouble alone would also accept "Infinity", hex and "1d", which XML does not. */
    static double parseFloat(String text) {
        String t = text.trim();
        switch (t) {
            case "INF", "+INF":
                return Double.POSITIVE_INFINITY;
            case "-INF":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!DOUBLE.matcher(t).matches()) {
                    throw new IllegalArgumentException("not a floating-point number");
                }
                return Double.parseDouble(t);
        }
    }

    static String formatFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "INF" : "-INF";
        }
        return Double.toString(value);
    }

    static boolean parseBoolean(String text) {
        return switch (text.trim()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true, false, 1 or 0)");
        };
    }
}
