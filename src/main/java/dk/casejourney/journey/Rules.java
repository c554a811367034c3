package dk.casejourney.journey;

import dk.casejourney.common.TextRules;
import dk.casejourney.journey.api.CprNumber;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import static dk.casejourney.common.RuleViolation.invalid;

/** Field rules the case applies to every command, whichever path it came by (HTTP, import, simulator). */
final class Rules {

    /** Unit and staff ids: printable, no control characters, short enough to index. */
    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,99}");
    private static final Pattern MUNICIPALITY = Pattern.compile("\\d{3}");
    private static final int MAX_ATTRIBUTES = 100;

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
        TextRules.check(value, 100, false, field);
    }

    /** Required single-line text: no control characters, no CPR number, at most maxLength characters. */
    static void text(String value, int maxLength, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        TextRules.check(value, maxLength, false, field);
    }

    /** Optional single-line text (names, labels). */
    static void optionalText(String value, int maxLength, String field) {
        TextRules.check(value, maxLength, false, field);
    }

    /** Optional text that may span lines (notes, reasons). */
    static void note(String value, int maxLength, String field) {
        TextRules.check(value, maxLength, true, field);
    }

    /** Attributes kept from an imported log: bounded in number and size, each key and value text. */
    static void attributes(Map<String, String> attributes, String field) {
        if (attributes == null) {
            return;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw invalid(field, "must have at most " + MAX_ATTRIBUTES + " entries");
        }
        attributes.forEach((key, value) -> {
            TextRules.check(key, 200, false, field);
            TextRules.check(value, 2000, true, field + "." + key);
        });
    }

    static void interval(Instant startedAt, Instant endedAt) {
        required(startedAt, "startedAt");
        required(endedAt, "endedAt");
        if (endedAt.isBefore(startedAt)) {
            throw invalid("endedAt", "must not be before startedAt");
        }
    }
}
