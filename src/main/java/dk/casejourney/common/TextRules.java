package dk.casejourney.common;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What free text and identifiers from outside may hold, wherever they come in (HTTP, imports, headers):
 * no control characters, no broken UTF-16, and no CPR-shaped number (ten digits, optionally DDMMYY-XXXX,
 * whose first six form a date), because a CPR number in a note or a key would leak into exports, metadata
 * and logs that are meant to be free of personal data.
 */
public final class TextRules {

    /** Ten digits, optionally with a hyphen after the sixth, not part of a longer run of digits. */
    private static final Pattern CPR_SHAPED = Pattern.compile("(?<!\\d)(\\d{6})-?(\\d{4})(?!\\d)");
    private static final String MASK = "**********";

    private TextRules() {
    }

    /**
     * The birth date a CPR number's first seven digits give, by the CPR office's century rule; empty if the
     * first six digits form no date.
     */
    public static Optional<LocalDate> cprBirthDate(String tenDigits) {
        int day = Integer.parseInt(tenDigits.substring(0, 2));
        int month = Integer.parseInt(tenDigits.substring(2, 4));
        int yy = Integer.parseInt(tenDigits.substring(4, 6));
        int seventh = tenDigits.charAt(6) - '0';
        int century = switch (seventh) {
            case 0, 1, 2, 3 -> 1900;
            case 4, 9 -> yy <= 36 ? 2000 : 1900;
            default -> yy <= 57 ? 2000 : 1800;
        };
        try {
            return Optional.of(LocalDate.of(century + yy, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the text holds a number that could be a CPR number (with or without the hyphen). */
    public static boolean containsCprShaped(String text) {
        if (text == null || text.length() < 10) {
            return false;
        }
        Matcher matcher = CPR_SHAPED.matcher(text);
        while (matcher.find()) {
            if (cprBirthDate(matcher.group(1) + matcher.group(2)).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** The text with every CPR-shaped number replaced by asterisks: for values that are only logged. */
    public static String maskCprShaped(String text) {
        if (text == null || text.length() < 10) {
            return text;
        }
        Matcher matcher = CPR_SHAPED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            boolean cpr = cprBirthDate(matcher.group(1) + matcher.group(2)).isPresent();
            matcher.appendReplacement(out, Matcher.quoteReplacement(cpr ? MASK : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * Why the text is not acceptable, or empty if it is.
     *
     * @param multiLine whether line breaks and tabs are part of the text (notes, reasons)
     */
    public static Optional<String> problem(String text, int maxLength, boolean multiLine) {
        if (text.length() > maxLength) {
            return Optional.of("must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must not contain a broken (unpaired surrogate) character");
            } else if (Character.getType(c) == Character.CONTROL
                    && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
                return Optional.of("must not contain control characters (U+" + String.format("%04X", (int) c) + ")"
                        + (multiLine ? "; line breaks and tabs are allowed" : ""));
            } else if (c == '\uFFFE' || c == '\uFFFF') {
                return Optional.of("must not contain the non-characters U+FFFE or U+FFFF");
            }
        }
        if (containsCprShaped(text)) {
            return Optional.of("must not contain a CPR number (personal data belongs only in the cpr field)");
        }
        return Optional.empty();
    }

    /**
     * @throws RuleViolation naming the field when the text is not acceptable
     */
    public static void check(String text, int maxLength, boolean multiLine, String field) {
        if (text != null) {
            problem(text, maxLength, multiLine).ifPresent(reason -> {
                throw RuleViolation.invalid(field, reason);
            });
        }
    }
}
