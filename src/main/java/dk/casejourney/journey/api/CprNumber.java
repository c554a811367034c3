package dk.casejourney.journey.api;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A Danish civil registration (CPR) number: DDMMYY followed by four digits, the seventh digit telling the
 * century. Numbers without a valid modulus-11 check digit are valid (issued since 2007), so none is checked.
 * Personal data: {@link #toString()} never shows the number.
 */
public final class CprNumber {

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
        if (!digits.matches("\\d{10}")) {
            throw new IllegalArgumentException("must be 10 digits (DDMMYYXXXX or DDMMYY-XXXX)");
        }
        int day = Integer.parseInt(digits.substring(0, 2));
        int month = Integer.parseInt(digits.substring(2, 4));
        int yy = Integer.parseInt(digits.substring(4, 6));
        int seventh = digits.charAt(6) - '0';
        try {
            return new CprNumber(digits, LocalDate.of(century(seventh, yy) + yy, month, day));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("the first six digits must form a valid date (DDMMYY)");
        }
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The century rule of the CPR office: the seventh digit together with the year gives the century. */
    private static int century(int seventh, int yy) {
        return switch (seventh) {
            case 0, 1, 2, 3 -> 1900;
            case 4, 9 -> yy <= 36 ? 2000 : 1900;
            default -> yy <= 57 ? 2000 : 1800;
        };
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
