package dk.casejourney.importexport.xes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Immutable copies that keep the file's attribute order (Map.copyOf would lose it). */
final class Attributes {

    private Attributes() {
    }

    static Map<String, XesValue> copy(Map<String, XesValue> attributes) {
        Objects.requireNonNull(attributes, "attributes");
        if (attributes.isEmpty()) {
            // Most nested-attribute maps are empty; share one instance instead of allocating per value.
            return Map.of();
        }
        Map<String, XesValue> copy = new LinkedHashMap<>(attributes);
        copy.forEach((key, value) -> {
            Objects.requireNonNull(key, "attribute key");
            Objects.requireNonNull(value, () -> "value of attribute " + key);
        });
        return Collections.unmodifiableMap(copy);
    }

    static <T> List<T> copy(List<T> list) {
        return list.isEmpty() ? List.of() : List.copyOf(list);
    }

    static String string(Map<String, XesValue> attributes, String key) {
        return attributes.get(key) instanceof XesValue.StringValue s ? s.value() : null;
    }
}
