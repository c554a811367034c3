package dk.casejourney.importexport.xes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A typed XES attribute value. Every value may carry nested (meta-)attributes, keyed like the
 * attributes of an event; for a {@link ContainerValue} the nested attributes are its content.
 * Values are immutable and compare by content.
 */
public sealed interface XesValue {

    XesType type();

    /** Nested attributes in file order; empty for most values. */
    Map<String, XesValue> nested();

    static StringValue string(String value) {
        return new StringValue(value, Map.of());
    }

    static DateValue date(OffsetDateTime value) {
        return new DateValue(value, Map.of());
    }

    static IntValue integer(long value) {
        return new IntValue(value, Map.of());
    }

    static FloatValue floating(double value) {
        return new FloatValue(value, Map.of());
    }

    static BooleanValue bool(boolean value) {
        return new BooleanValue(value, Map.of());
    }

    static IdValue id(String value) {
        return new IdValue(value, Map.of());
    }

    static ListValue list(List<ListItem> items) {
        return new ListValue(items, Map.of());
    }

    static ContainerValue container(Map<String, XesValue> content) {
        return new ContainerValue(content);
    }

    record StringValue(String value, Map<String, XesValue> nested) implements XesValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.STRING;
        }
    }

    /** A date; the offset is kept exactly as in the file, the instant to the nanosecond. */
    record DateValue(OffsetDateTime value, Map<String, XesValue> nested) implements XesValue {
        public DateValue {
            Objects.requireNonNull(value, "value");
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.DATE;
        }
    }

    /** An xs:long. */
    record IntValue(long value, Map<String, XesValue> nested) implements XesValue {
        public IntValue {
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.INT;
        }
    }

    /** An xs:double; NaN and infinities are allowed, as in XML Schema. */
    record FloatValue(double value, Map<String, XesValue> nested) implements XesValue {
        public FloatValue {
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.FLOAT;
        }
    }

    record BooleanValue(boolean value, Map<String, XesValue> nested) implements XesValue {
        public BooleanValue {
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.BOOLEAN;
        }
    }

    /** An id (usually a UUID); kept as text because the standard does not fix its syntax. */
    record IdValue(String value, Map<String, XesValue> nested) implements XesValue {
        public IdValue {
            Objects.requireNonNull(value, "value");
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.ID;
        }
    }

    /**
     * An ordered list. Items are the attributes inside {@code <values>}; their keys may repeat,
     * hence a list of items rather than a map. {@code nested} holds the list's own meta-attributes.
     */
    record ListValue(List<ListItem> items, Map<String, XesValue> nested) implements XesValue {
        public ListValue {
            items = Attributes.copy(items);
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.LIST;
        }
    }

    /** One keyed element of a {@link ListValue}. */
    record ListItem(String key, XesValue value) {
        public ListItem {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A container: its content is its nested attributes. */
    record ContainerValue(Map<String, XesValue> nested) implements XesValue {
        public ContainerValue {
            nested = Attributes.copy(nested);
        }

        @Override
        public XesType type() {
            return XesType.CONTAINER;
        }
    }
}
