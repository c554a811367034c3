package dk.casejourney.journey.api;

import dk.casejourney.common.TextRules;

import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Danish civil registration (CPR) number: DDMMYY followed by four digits, the seventh digit telling the
 * century. Numbers without a valid modulus-11 check digit are valid (issued since 2007), so none is checked.
 * Personal data: {@link #toString()} never shows the number.
 */
public final class CprNumber {

    /** Compiled once: every opened case and every import row with a citizen parses a number. */
    private static final Pattern TEN_DIGITS = Pattern.compile("\\d{10}");

    private final String digits;
    private final LocalDate birthDate;

    private CprNumber(String digits, LocalDate birthDate) {
        this.digits = digits;
        this.birthDate = birthDate;
    }

    /**
     * @param text ten digits, optionally written DDMMYY-XXXX
     * @throws IllegalArgumentException with a reason that does not repeat the number
     */
    public static CprNumber parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("is required");
        }
        String digits = text.length() == 11 && text.charAt(6) == '-'
                ? text.substring(0, 6) + text.substring(7)
                : text;
        if (!TEN_DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("must be 10 digits (DDMMYYXXXX or DDMMYY-XXXX)");
        }
        LocalDate birthDate = TextRules.cprBirthDate(digits).orElseThrow(
                () -> new IllegalArgumentException("the first six digits must form a valid date (DDMMYY)"));
        return new CprNumber(digits, birthDate);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String digits() {
        return digits;
    }

    public LocalDate birthDate() {
        return birthDate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CprNumber other && other.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digits);
    }

    @Override
    public String toString() {
        return "CprNumber[******-****]";
    }
}
