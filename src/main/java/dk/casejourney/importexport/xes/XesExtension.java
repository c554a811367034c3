package dk.casejourney.importexport.xes;

import java.util.List;
import java.util.Objects;

/** An {@code <extension>} declaration of a log. */
public record XesExtension(String name, String prefix, String uri) {

    public static final XesExtension CONCEPT =
            new XesExtension("Concept", "concept", "http://www.xes-standard.org/concept.xesext");
    public static final XesExtension TIME =
            new XesExtension("Time", "time", "http://www.xes-standard.org/time.xesext");
    public static final XesExtension ORGANIZATIONAL =
            new XesExtension("Organizational", "org", "http://www.xes-standard.org/org.xesext");
    public static final XesExtension LIFECYCLE =
            new XesExtension("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext");

    /** The extensions whose attributes the model exposes through accessors; the writer always declares them. */
    public static final List<XesExtension> STANDARD = List.of(CONCEPT, TIME, ORGANIZATIONAL, LIFECYCLE);

    public XesExtension {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(uri, "uri");
    }
}
