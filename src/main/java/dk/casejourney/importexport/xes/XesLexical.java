package dk.casejourney.importexport.xes;

import dk.casejourney.common.IsoInstants;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
        long epochSecond = IsoInstants.localEpochSecond(text);
        int fraction = epochSecond == IsoInstants.NOT_A_DATE_TIME ? -1 : IsoInstants.fractionDigits(text);
        if (fraction < 0) {
            return null;
        }
        int at = IsoInstants.dateTimeEnd(fraction);
        int length = text.length();
        ZoneOffset offset;
        if (at == length - 1 && text.charAt(at) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int hours = IsoInstants.digits(text, at + 1, 2);
            int minutes = IsoInstants.digits(text, at + 4, 2);
            if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59 || (hours == 18 && minutes > 0)) {
                return null;
            }
            int sign = text.charAt(at) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } else {
            return null;
        }
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(epochSecond, IsoInstants.nanos(text, fraction),
                                                             ZoneOffset.UTC), offset);
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
