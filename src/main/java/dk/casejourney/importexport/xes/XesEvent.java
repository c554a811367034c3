package dk.casejourney.importexport.xes;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One event of a trace.
 *
 * @param attributes the event's attributes in file order
 * @param line       line of the {@code <event>} start tag in the source, 0 if not read from a file
 */
public record XesEvent(Map<String, XesValue> attributes, int line) {

    public static final String ACTIVITY = "concept:name";
    public static final String GROUP = "org:group";
    public static final String RESOURCE = "org:resource";
    public static final String TIMESTAMP = "time:timestamp";
    public static final String LIFECYCLE = "lifecycle:transition";

    public XesEvent {
        attributes = Attributes.copy(attributes);
    }

    /** An event that was not read from a file. */
    public XesEvent(Map<String, XesValue> attributes) {
        this(attributes, 0);
    }

    /** {@code concept:name}, or null if absent or not a string. */
    public String activity() {
        return Attributes.string(attributes, ACTIVITY);
    }

    /** {@code org:group}, or null if absent or not a string. */
    public String group() {
        return Attributes.string(attributes, GROUP);
    }

    /** {@code org:resource}, or null if absent or not a string. */
    public String resource() {
        return Attributes.string(attributes, RESOURCE);
    }

    /** {@code time:timestamp} with the file's offset, or null if absent or not a date. */
    public OffsetDateTime timestamp() {
        return attributes.get(TIMESTAMP) instanceof XesValue.DateValue d ? d.value() : null;
    }

    /**
     * {@code lifecycle:transition} verbatim. Not mapped to an enum: real logs carry values outside the
     * standard lifecycle model (e.g. "In Progress"), and the importer decides what they mean.
     */
    public String lifecycle() {
        return Attributes.string(attributes, LIFECYCLE);
    }
}
