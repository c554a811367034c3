package dk.casejourney.journey;

import dk.casejourney.journey.api.CprNumber;

import java.time.Instant;
import java.util.regex.Pattern;

import static dk.casejourney.common.RuleViolation.invalid;

/** Field rules the case applies to every command, whichever path it came by (HTTP, import, simulator). */
final class Rules {

    /** Unit and staff ids: printable, no control characters, short enough to index. */
    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,99}");
    private static final Pattern MUNICIPALITY = Pattern.compile("\\d{3}");

    private Rules() {
    }

    static void required(Object value, String field) {
        if (value == null) {
            throw invalid(field, "is required");
        }
    }

    static CprNumber cpr(String value) {
        try {
            return CprNumber.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid("cpr", e.getMessage());
        }
    }

    static void municipality(String value) {
        required(value, "municipality");
        if (!MUNICIPALITY.matcher(value).matches()) {
            throw invalid("municipality", "must be a three-digit municipality number, e.g. 101");
        }
    }

    static void unit(String value, String field) {
        identifier(value, field);
    }

    static void staff(String value, String field) {
        if (value != null) {
            identifier(value, field);
        }
    }

    private static void identifier(String value, String field) {
        required(value, field);
        if (!IDENTIFIER.matcher(value).matches()) {
            throw invalid(field, "must be 1-100 letters, digits, spaces or . _ : / -, starting with a letter or digit");
        }
    }

    static void text(String value, int maxLength, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        maxLength(value, maxLength, field);
    }

    static void maxLength(String value, int maxLength, String field) {
        if (value != null && value.length() > maxLength) {
            throw invalid(field, "must be at most " + maxLength + " characters");
        }
    }

    static void interval(Instant startedAt, Instant endedAt) {
        required(startedAt, "startedAt");
        required(endedAt, "endedAt");
        if (endedAt.isBefore(startedAt)) {
            throw invalid("endedAt", "must not be before startedAt");
        }
    }
}
