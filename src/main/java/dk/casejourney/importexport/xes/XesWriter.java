package dk.casejourney.importexport.xes;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Streams an XES log (UTF-8, IEEE 1849-2016 serialization) to an OutputStream, one trace at a time:
 * {@link #startLog}, any number of {@link #writeTrace}, {@link #endLog}. Use with try-with-resources.
 *
 * <p>{@link #close()} does not complete an unfinished log: a log cut short by an exception stays
 * unterminated, so a later import fails instead of silently taking a truncated log for a complete one.
 * The caller keeps ownership of the OutputStream (wrap it in a GZIPOutputStream for compressed output).
 */
public final class XesWriter implements AutoCloseable {

    private static final String XES_NAMESPACE = "http://www.xes-standard.org/";
    private static final String XES_VERSION = "1849-2016";

    private enum State { NEW, IN_LOG, ENDED, CLOSED }

    /** What XML 1.0 cannot carry is written as this character in replacing mode. */
    public static final char REPLACEMENT = '\uFFFD';

    private final Writer sink;
    private final XMLStreamWriter xml;
    private final boolean replaceUnrepresentable;
    private long replaced;
    private State state = State.NEW;

    /** A strict writer: a character XML 1.0 cannot carry (e.g. U+0000) is refused with an exception. */
    public XesWriter(OutputStream out) {
        this(out, false);
    }

    /**
     * A writer that replaces every character XML 1.0 cannot carry by {@link #REPLACEMENT} instead of refusing
     * it: for exports of data already stored, which must not break on one odd character. {@link #replaced()}
     * counts the replacements.
     */
    public static XesWriter replacingUnrepresentable(OutputStream out) {
        return new XesWriter(out, true);
    }

    private XesWriter(OutputStream out, boolean replaceUnrepresentable) {
        Objects.requireNonNull(out, "out");
        this.replaceUnrepresentable = replaceUnrepresentable;
        this.sink = new AttributeWhitespaceEscaper(
                new BufferedWriter(new OutputStreamWriter(new NonClosingOutputStream(out), StandardCharsets.UTF_8)));
        try {
            this.xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(sink);
        } catch (XMLStreamException e) {
            throw failure(e);
        }
    }

    /** Starts the log with the standard extensions and the given log attributes. */
    public void startLog(Map<String, XesValue> logAttributes) {
        startLog(XesLog.of(logAttributes));
    }

    /**
     * Starts the log: the standard extensions (Concept, Time, Organizational, Lifecycle), then any further
     * extensions declared in {@code log} (so a read log can be written back with its declarations), then
     * the log attributes. The {@code xesVersion} of {@code log} is not copied: this writer writes 1849-2016.
     */
    public void startLog(XesLog log) {
        requireState(State.NEW);
        try {
            xml.writeStartDocument("UTF-8", "1.0");
            newline(0);
            xml.writeStartElement("log");
            xml.writeDefaultNamespace(XES_NAMESPACE);
            xml.writeAttribute("xes.version", XES_VERSION);
            xml.writeAttribute("xes.features", "nested-attributes");
            List<XesExtension> extensions = new ArrayList<>(XesExtension.STANDARD);
            extensions.addAll(log.extensions());
            Set<String> prefixes = new HashSet<>();
            for (XesExtension extension : extensions) {
                if (prefixes.add(extension.prefix())) {
                    newline(1);
                    xml.writeEmptyElement("extension");
                    xml.writeAttribute("name", extension.name());
                    xml.writeAttribute("prefix", extension.prefix());
                    xml.writeAttribute("uri", extension.uri());
                }
            }
            writeAttributes(log.attributes(), 1);
            state = State.IN_LOG;
        } catch (XMLStreamException e) {
            throw failure(e);
        }
    }

    /** Writes one trace; nothing of it is kept afterwards. */
    public void writeTrace(XesTrace trace) {
        requireState(State.IN_LOG);
        try {
            newline(1);
            xml.writeStartElement("trace");
            writeAttributes(trace.attributes(), 2);
            for (XesEvent event : trace.events()) {
                newline(2);
                if (event.attributes().isEmpty()) {
                    xml.writeEmptyElement("event");
                    continue;
                }
                xml.writeStartElement("event");
                writeAttributes(event.attributes(), 3);
                newline(2);
                xml.writeEndElement();
            }
            newline(1);
            xml.writeEndElement();
        } catch (XMLStreamException e) {
            throw failure(e);
        }
    }

    /** Closes the log element and flushes. */
    public void endLog() {
        requireState(State.IN_LOG);
        try {
            newline(0);
            xml.writeEndElement();
            xml.writeEndDocument();
            newline(0);
            xml.flush();
            state = State.ENDED;
        } catch (XMLStreamException e) {
            throw failure(e);
        }
    }

    /** Flushes and releases the writer; does not close the caller's OutputStream. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try {
            xml.close();
            sink.close();
        } catch (XMLStreamException e) {
            throw failure(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeAttributes(Map<String, XesValue> attributes, int indent) throws XMLStreamException {
        for (Map.Entry<String, XesValue> attribute : attributes.entrySet()) {
            writeAttribute(attribute.getKey(), attribute.getValue(), indent);
        }
    }

    private void writeAttribute(String key, XesValue value, int indent) throws XMLStreamException {
        newline(indent);
        String element = value.type().element();
        // IEEE 1849 lists always have a <values> child, even when empty.
        boolean hasChildren = !value.nested().isEmpty() || value instanceof XesValue.ListValue;
        if (hasChildren) {
            xml.writeStartElement(element);
        } else {
            xml.writeEmptyElement(element);
        }
        xml.writeAttribute("key", checkedText(key, key));
        String lexical = lexical(key, value);
        if (lexical != null) {
            xml.writeAttribute("value", lexical);
        }
        if (!hasChildren) {
            return;
        }
        if (value instanceof XesValue.ListValue list) {
            newline(indent + 1);
            if (list.items().isEmpty()) {
                xml.writeEmptyElement("values");
            } else {
                xml.writeStartElement("values");
                for (XesValue.ListItem item : list.items()) {
                    writeAttribute(item.key(), item.value(), indent + 2);
                }
                newline(indent + 1);
                xml.writeEndElement();
            }
        }
        writeAttributes(value.nested(), indent + 1);
        newline(indent);
        xml.writeEndElement();
    }

    /** The value attribute's text, or null for list and container (Java 17: no pattern switch yet). */
    private String lexical(String key, XesValue value) {
        if (value instanceof XesValue.StringValue s) {
            return checkedText(key, s.value());
        } else if (value instanceof XesValue.IdValue i) {
            return checkedText(key, i.value());
        } else if (value instanceof XesValue.DateValue d) {
            return XesLexical.formatDate(d.value());
        } else if (value instanceof XesValue.IntValue i) {
            return Long.toString(i.value());
        } else if (value instanceof XesValue.FloatValue f) {
            return XesLexical.formatFloat(f.value());
        } else if (value instanceof XesValue.BooleanValue b) {
            return Boolean.toString(b.value());
        }
        return null;
    }

    /** Characters XML 1.0 replaced so far (replacing mode only). */
    public long replaced() {
        return replaced;
    }

    /**
     * XML 1.0 cannot carry every character (e.g. U+0000, or a lone surrogate): refuse instead of writing an
     * unreadable file, or in replacing mode write U+FFFD for it.
     */
    private String checkedText(String key, String text) {
        StringBuilder copy = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            boolean legal = c == 0x9 || c == 0xA || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
            if (!legal) {
                if (!replaceUnrepresentable) {
                    throw new IllegalArgumentException(String.format(
                            "attribute '%s' contains U+%04X, which XML 1.0 cannot represent", key, c));
                }
                if (copy == null) {
                    copy = new StringBuilder(text.length()).append(text, 0, i);
                }
                copy.append(REPLACEMENT);
                replaced++;
            } else if (copy != null) {
                copy.appendCodePoint(c);
            }
            i += width;
        }
        return copy == null ? text : copy.toString();
    }

    private void newline(int indent) throws XMLStreamException {
        xml.writeCharacters(indent == 0 ? "\n" : "\n" + "\t".repeat(indent));
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("writer is " + state + ", expected " + expected);
        }
    }

    private static UncheckedIOException failure(XMLStreamException e) {
        return new UncheckedIOException(new IOException("cannot write XES: " + e.getMessage(), e));
    }

    /**
     * XML parsers turn a literal tab, CR or LF inside an attribute value into a space, and the JDK's
     * XMLStreamWriter writes them literally, so such strings would not survive a round trip. This filter
     * follows the markup the StAX writer produces (attribute values always in double quotes, a quote
     * inside a value always escaped) and replaces those three characters inside attribute values with
     * character references; whitespace between elements is left alone.
     */
    private static final class AttributeWhitespaceEscaper extends FilterWriter {
        private boolean inTag;
        private boolean inValue;

        AttributeWhitespaceEscaper(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            if (inValue) {
                switch (c) {
                    case '"' -> {
                        inValue = false;
                        out.write(c);
                    }
                    case '\t' -> out.write("&#9;");
                    case '\n' -> out.write("&#10;");
                    case '\r' -> out.write("&#13;");
                    default -> out.write(c);
                }
                return;
            }
            if (inTag) {
                if (c == '"') {
                    inValue = true;
                } else if (c == '>') {
                    inTag = false;
                }
            } else if (c == '<') {
                inTag = true;
            }
            out.write(c);
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                write(buffer[i]);
            }
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                write(text.charAt(i));
            }
        }
    }

    /** Lets close() flush everything without closing the caller's stream. */
    private static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
