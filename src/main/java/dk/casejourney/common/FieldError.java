package dk.casejourney.common;

/** One reason a request was refused, naming the field (JSON path or header) it concerns. */
public record FieldError(String field, String reason) {
}
