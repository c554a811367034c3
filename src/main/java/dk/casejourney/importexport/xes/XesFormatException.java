package dk.casejourney.importexport.xes;

import dk.casejourney.common.TextRules;

/**
 * The input is not an XES log this reader accepts. The message names where (trace and line) and why;
 * the same facts are available as fields so an import report can list them.
 */
public class XesFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the input was rejected. */
    public enum Kind {
        /** Not well-formed XML, or the input could not be read or decompressed. */
        MALFORMED_XML,
        /** Well-formed XML but not the XES structure (unknown element, missing key, DTD, ...). */
        INVALID_STRUCTURE,
        /** An event without {@code time:timestamp} while timestamps are required. */
        MISSING_TIMESTAMP,
        /** A date, int, float or boolean value that does not parse. */
        INVALID_VALUE
    }

    private final Kind kind;
    private final String traceName;
    private final long traceOrdinal;
    private final int traceLine;
    private final int line;
    private final String key;
    private final String value;
    private final String reason;
    private final boolean recoverable;

    XesFormatException(Kind kind, String traceName, long traceOrdinal, int traceLine, int line,
                       String key, String value, String reason, boolean recoverable, Throwable cause) {
        // Trace names and values reach reports and logs: a CPR-shaped number in them is masked.
        super(message(TextRules.maskCprShaped(traceName), traceOrdinal, traceLine, line, key,
                      TextRules.maskCprShaped(value), reason), cause);
        this.kind = kind;
        this.traceName = TextRules.maskCprShaped(traceName);
        this.traceOrdinal = traceOrdinal;
        this.traceLine = traceLine;
        this.line = line;
        this.key = key;
        this.value = TextRules.maskCprShaped(value);
        this.reason = reason;
        this.recoverable = recoverable;
    }

    private static String message(String traceName, long traceOrdinal, int traceLine, int line,
                                  String key, String value, String reason) {
        StringBuilder m = new StringBuilder("XES ");
        if (traceOrdinal == 0) {
            m.append("log");
        } else {
            m.append("trace ");
            if (traceName != null) {
                m.append('\'').append(traceName).append("' (#").append(traceOrdinal);
            } else {
                m.append('#').append(traceOrdinal).append(" (name not known");
            }
            m.append(", starting at line ").append(traceLine).append(')');
        }
        m.append(", line ").append(line > 0 ? Integer.toString(line) : "unknown").append(": ").append(reason);
        if (key != null) {
            m.append(" [key '").append(key).append('\'');
            if (value != null) {
                m.append(", value '").append(value).append('\'');
            }
            m.append(']');
        }
        return m.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** {@code concept:name} of the offending trace, null if outside a trace or the trace has no name. */
    public String traceName() {
        return traceName;
    }

    /** 1-based position of the offending trace in the file, 0 if the error is outside any trace. */
    public long traceOrdinal() {
        return traceOrdinal;
    }

    /** Line of the offending trace's start tag, 0 if outside any trace. */
    public int traceLine() {
        return traceLine;
    }

    /** Line of the error, or -1 if the parser could not tell. */
    public int line() {
        return line;
    }

    /** Attribute key involved, or null. */
    public String key() {
        return key;
    }

    /** The offending value as found in the file, or null. */
    public String value() {
        return value;
    }

    /** The reason without location. */
    public String reason() {
        return reason;
    }

    /**
     * True if only this trace was rejected and the parser stands after it, so an iterator can go on
     * with the next trace. False for malformed XML and for errors outside traces.
     */
    public boolean recoverable() {
        return recoverable;
    }
}
