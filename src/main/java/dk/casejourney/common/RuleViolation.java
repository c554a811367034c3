package dk.casejourney.common;

/**
 * A command broke one of the ledger's rules; nothing was recorded. Names the offending field and why,
 * so clients can show it next to the input.
 */
public class RuleViolation extends RuntimeException {

    /** How the violation answers over HTTP. */
    public enum Kind {
        /** The input is invalid whatever the case's state. */
        INVALID,
        /** The input conflicts with the case's current state. */
        CONFLICT,
        /** The case does not exist. */
        NOT_FOUND,
        /** A key or reference was used before for something else. */
        UNPROCESSABLE
    }

    private final Kind kind;
    private final String field;
    private final String reason;

    public RuleViolation(Kind kind, String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    public static RuleViolation invalid(String field, String reason) {
        return new RuleViolation(Kind.INVALID, field, reason);
    }

    public static RuleViolation conflict(String field, String reason) {
        return new RuleViolation(Kind.CONFLICT, field, reason);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    /** What crosses a distributed command bus (Axon Server) as the exception's details. */
    public Details details() {
        return new Details(kind, field, reason);
    }

    public record Details(Kind kind, String field, String reason) {
    }
}
