package dk.casejourney.importexport.xes;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One trace (case) with all its events.
 *
 * @param name       {@code concept:name} of the trace (the case id), null if absent; always equal to
 *                   the string in {@code attributes}, so it cannot drift from what is written back
 * @param attributes trace attributes in file order (including {@code concept:name})
 * @param events     events in file order
 * @param line       line of the {@code <trace>} start tag in the source, 0 if not read from a file
 */
public record XesTrace(String name, Map<String, XesValue> attributes, List<XesEvent> events, int line) {

    public XesTrace {
        attributes = Attributes.copy(attributes);
        events = Attributes.copy(events);
        if (!Objects.equals(name, Attributes.string(attributes, XesEvent.ACTIVITY))) {
            throw new IllegalArgumentException(
                    "name '" + name + "' differs from the concept:name string attribute of the trace");
        }
    }

    /** A trace that was not read from a file; the name is taken from {@code concept:name}. */
    public static XesTrace of(Map<String, XesValue> attributes, List<XesEvent> events) {
        return new XesTrace(Attributes.string(attributes, XesEvent.ACTIVITY), attributes, events, 0);
    }
}
