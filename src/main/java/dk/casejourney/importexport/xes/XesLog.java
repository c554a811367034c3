package dk.casejourney.importexport.xes;

import java.util.List;
import java.util.Map;

/**
 * The log header: everything before the first trace that the importer needs. Global attribute
 * defaults and classifiers are deliberately not kept; the importer does not use them.
 *
 * @param xesVersion the {@code xes.version} of the log element, null if absent
 * @param extensions declared extensions in file order
 * @param attributes log-level attributes in file order
 */
public record XesLog(String xesVersion, List<XesExtension> extensions, Map<String, XesValue> attributes) {

    public XesLog {
        extensions = Attributes.copy(extensions);
        attributes = Attributes.copy(attributes);
    }

    /** A header for writing: no version (the writer sets its own) and only the standard extensions. */
    public static XesLog of(Map<String, XesValue> attributes) {
        return new XesLog(null, XesExtension.STANDARD, attributes);
    }

    /** {@code concept:name} of the log, or null. */
    public String name() {
        return Attributes.string(attributes, XesEvent.ACTIVITY);
    }
}
