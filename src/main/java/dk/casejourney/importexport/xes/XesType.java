package dk.casejourney.importexport.xes;

import java.util.Optional;

/** The attribute types of IEEE 1849-2016, named by their XML element. */
public enum XesType {
    STRING("string"),
    DATE("date"),
    INT("int"),
    FLOAT("float"),
    BOOLEAN("boolean"),
    ID("id"),
    LIST("list"),
    CONTAINER("container");

    private final String element;

    XesType(String element) {
        this.element = element;
    }

    /** The XML element name, e.g. {@code "string"}. */
    public String element() {
        return element;
    }

    /** The type for an XML element name; empty if the element is not an attribute element. */
    public static Optional<XesType> ofElement(String element) {
        return Optional.ofNullable(forElement(element));
    }

    /** Null-returning variant for the parser's per-attribute hot path. */
    static XesType forElement(String element) {
        return switch (element) {
            case "string" -> STRING;
            case "date" -> DATE;
            case "int" -> INT;
            case "float" -> FLOAT;
            case "boolean" -> BOOLEAN;
            case "id" -> ID;
            case "list" -> LIST;
            case "container" -> CONTAINER;
            default -> null;
        };
    }
}
