package dk.casejourney.importexport.xes;

import dk.casejourney.importexport.xes.XesFormatException.Kind;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A lazy, single-pass cursor over the traces of one XES input, obtained from {@link XesReader#open}.
 * {@link #hasNext()} reads the next trace completely and validates it before {@link #next()} hands it out.
 *
 * <p>If {@code hasNext()} throws a {@link XesFormatException} that is {@link XesFormatException#recoverable()
 * recoverable}, only that trace was rejected and iteration may continue with the following trace; any
 * other error is final and is thrown again by every later call. Not thread-safe.
 */
public final class XesTraceIterator implements Iterator<XesTrace>, AutoCloseable {

    private static final int GZIP_BUFFER = 64 * 1024;
    /** log, trace, event, then attributes: real logs nest attributes a few levels; this leaves ample room. */
    static final int MAX_DEPTH = 64;

    private final XMLStreamReader xml;
    private final CountingInputStream counter;
    private final InputStream decoded;
    private final Closeable owned;
    private final boolean timestampsRequired;

    /** Element depth of the cursor, maintained by {@link #nextTag}. */
    private int depth;
    /** Line where the last start tag begins. */
    private int tagLine;

    private XesLog log;
    private String xesVersion;
    private final List<XesExtension> extensions = new ArrayList<>();
    private final Map<String, XesValue> logAttributes = new LinkedHashMap<>();
    /** The header ended at a {@code <trace>} start tag which has not been parsed yet. */
    private boolean atTraceStart;
    private boolean finished;
    private boolean closed;
    private XesTrace next;
    private XesFormatException failure;

    private boolean inTrace;
    private long traceOrdinal;
    private int traceLine;
    private String traceName;

    private long traces;
    private long events;

    private XesTraceIterator(XMLStreamReader xml, CountingInputStream counter, InputStream decoded,
                             Closeable owned, boolean timestampsRequired) {
        this.xml = xml;
        this.counter = counter;
        this.decoded = decoded;
        this.owned = owned;
        this.timestampsRequired = timestampsRequired;
    }

    static XesTraceIterator open(InputStream in, boolean timestampsRequired, Closeable owned) {
        CountingInputStream counter = new CountingInputStream(in);
        InputStream decoded;
        try {
            PushbackInputStream peek = new PushbackInputStream(counter, 2);
            byte[] magic = peek.readNBytes(2);
            peek.unread(magic);
            boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            decoded = gzip ? new XesInputLimits(new GZIPInputStream(peek, GZIP_BUFFER), counter::count)
                           : new XesInputLimits(peek, null);
        } catch (ZipException e) {
            throw new XesFormatException(Kind.MALFORMED_XML, null, 0, 0, -1, null, null,
                    "corrupt gzip data: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            XMLStreamReader xml = secureFactory().createXMLStreamReader(decoded);
            return new XesTraceIterator(xml, counter, decoded, owned, timestampsRequired);
        } catch (XMLStreamException e) {
            throw new XesFormatException(Kind.MALFORMED_XML, null, 0, 0, lineOf(e, -1), null, null,
                    "malformed XML: " + reasonOf(e), false, e);
        }
    }

    /**
     * The JDK's built-in StAX implementation (not whatever a service loader finds on the class path, so
     * behaviour and line numbers are predictable), with DTDs and external entities off against XXE and
     * entity-expansion attacks. XES never needs a DTD.
     */
    private static XMLInputFactory secureFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }

    /** The log header (extensions and log attributes); reads up to the first trace if not done yet. */
    public XesLog log() {
        guarded(true);
        return log;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            guarded(false);
        }
        if (failure != null) {
            throw failure;
        }
        return next != null;
    }

    @Override
    public XesTrace next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        XesTrace trace = next;
        next = null;
        traces++;
        events += trace.events().size();
        return trace;
    }

    /** Bytes taken from the caller's stream so far (compressed bytes for gzip input). */
    public long bytesRead() {
        return counter.count();
    }

    public XesProgress progress() {
        return new XesProgress(traces, events, counter.count());
    }

    /** The remaining traces as a sequential stream; closing the stream closes this iterator. */
    public Stream<XesTrace> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** Releases the parser and decompressor; closes the input only if it was opened by the reader. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // Nothing to release beyond the streams closed below.
        }
        try {
            try {
                decoded.close();
            } finally {
                if (owned != null) {
                    owned.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one step of parsing and turns every failure into the single exception type callers see. */
    private void guarded(boolean headerOnly) {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("iterator is closed");
        }
        try {
            readHeader();
            if (!headerOnly && next == null && !finished) {
                next = readNextTrace();
                finished = next == null;
            }
        } catch (XMLStreamException e) {
            failure = malformed(e);
            throw failure;
        } catch (Problem p) {
            failure = reject(p, false, null);
            throw failure;
        } catch (XesFormatException e) {
            if (!e.recoverable()) {
                failure = e;
            }
            throw e;
        }
    }

    private void readHeader() throws XMLStreamException {
        if (log != null) {
            return;
        }
        if (nextTag(true) != XMLStreamConstants.START_ELEMENT || !"log".equals(xml.getLocalName())) {
            throw new Problem(Kind.INVALID_STRUCTURE, tagLine, null, null, "the root element must be <log>");
        }
        xesVersion = xml.getAttributeValue(null, "xes.version");
        while (true) {
            if (nextTag(true) == XMLStreamConstants.END_ELEMENT) {
                finishDocument();
                break;
            }
            String element = xml.getLocalName();
            if ("trace".equals(element)) {
                atTraceStart = true;
                break;
            }
            switch (element) {
                case "extension" -> readExtension();
                // Global defaults and classifiers are not needed for import; skipped, not validated.
                case "global", "classifier" -> skipElement();
                default -> {
                    int line = tagLine;
                    XesValue.ListItem attribute = readAttribute(attributeType(element));
                    put(logAttributes, attribute, line);
                }
            }
        }
        log = new XesLog(xesVersion, extensions, logAttributes);
    }

    private void readExtension() throws XMLStreamException {
        String name = xml.getAttributeValue(null, "name");
        String prefix = xml.getAttributeValue(null, "prefix");
        String uri = xml.getAttributeValue(null, "uri");
        if (name == null || prefix == null || uri == null) {
            throw new Problem(Kind.INVALID_STRUCTURE, tagLine, null, null,
                    "<extension> needs the attributes name, prefix and uri");
        }
        extensions.add(new XesExtension(name, prefix, uri));
        skipElement();
    }

    private XesTrace readNextTrace() throws XMLStreamException {
        if (atTraceStart) {
            atTraceStart = false;
            return readTrace();
        }
        if (nextTag(true) == XMLStreamConstants.END_ELEMENT) {
            finishDocument();
            return null;
        }
        if (!"trace".equals(xml.getLocalName())) {
            // The schema puts all header elements before the traces; the header has already been delivered.
            throw new Problem(Kind.INVALID_STRUCTURE, tagLine, null, null,
                    "<" + xml.getLocalName() + "> after the first trace; only <trace> may follow");
        }
        return readTrace();
    }

    private XesTrace readTrace() throws XMLStreamException {
        inTrace = true;
        traceOrdinal++;
        traceLine = tagLine;
        traceName = null;
        int traceDepth = depth;
        try {
            Map<String, XesValue> attributes = new LinkedHashMap<>();
            List<XesEvent> traceEvents = new ArrayList<>();
            while (nextTag(true) == XMLStreamConstants.START_ELEMENT) {
                String element = xml.getLocalName();
                if ("event".equals(element)) {
                    traceEvents.add(readEvent());
                    continue;
                }
                int line = tagLine;
                XesValue.ListItem attribute = readAttribute(attributeType(element));
                put(attributes, attribute, line);
                if (XesEvent.ACTIVITY.equals(attribute.key()) && attribute.value() instanceof XesValue.StringValue s) {
                    traceName = s.value();
                }
            }
            XesTrace trace = new XesTrace(traceName, attributes, traceEvents, traceLine);
            inTrace = false;
            return trace;
        } catch (Problem p) {
            // Read on to </trace> so the message can name the trace even when concept:name comes after
            // the error, and so the iterator can continue with the next trace.
            try {
                skipRestOfTrace(traceDepth);
            } catch (XMLStreamException e) {
                XesFormatException error = reject(p, false, null);
                error.addSuppressed(malformed(e));
                throw error;
            }
            XesFormatException error = reject(p, true, null);
            inTrace = false;
            throw error;
        }
    }

    private XesEvent readEvent() throws XMLStreamException {
        int eventLine = tagLine;
        Map<String, XesValue> attributes = new LinkedHashMap<>();
        while (nextTag(true) == XMLStreamConstants.START_ELEMENT) {
            int line = tagLine;
            put(attributes, readAttribute(attributeType(xml.getLocalName())), line);
        }
        if (timestampsRequired) {
            XesValue timestamp = attributes.get(XesEvent.TIMESTAMP);
            if (timestamp == null) {
                throw new Problem(Kind.MISSING_TIMESTAMP, eventLine, XesEvent.TIMESTAMP, null,
                        "event has no time:timestamp");
            }
            if (!(timestamp instanceof XesValue.DateValue)) {
                throw new Problem(Kind.INVALID_VALUE, eventLine, XesEvent.TIMESTAMP, null,
                        "time:timestamp is a " + timestamp.type().element() + ", not a date");
            }
        }
        return new XesEvent(attributes, eventLine);
    }

    /** Reads the attribute element at the cursor, with its nested attributes, up to its end tag. */
    private XesValue.ListItem readAttribute(XesType type) throws XMLStreamException {
        int line = tagLine;
        String key = xml.getAttributeValue(null, "key");
        if (key == null) {
            throw new Problem(Kind.INVALID_STRUCTURE, line, null, null, "<" + type.element() + "> without key");
        }
        String raw = null;
        Object parsed = null;
        if (type != XesType.LIST && type != XesType.CONTAINER) {
            raw = xml.getAttributeValue(null, "value");
            if (raw == null) {
                throw new Problem(Kind.INVALID_STRUCTURE, line, key, null, "<" + type.element() + "> without value");
            }
            parsed = parseValue(type, key, raw, line);
        }
        Map<String, XesValue> nested = null;
        List<XesValue.ListItem> items = null;
        while (nextTag(true) == XMLStreamConstants.START_ELEMENT) {
            String element = xml.getLocalName();
            if (type == XesType.LIST && "values".equals(element)) {
                if (items != null) {
                    throw new Problem(Kind.INVALID_STRUCTURE, tagLine, key, null, "list with two <values>");
                }
                items = readListItems();
                continue;
            }
            int childLine = tagLine;
            XesValue.ListItem child = readAttribute(attributeType(element));
            if (nested == null) {
                nested = new LinkedHashMap<>();
            }
            put(nested, child, childLine);
        }
        Map<String, XesValue> n = nested == null ? Map.of() : nested;
        XesValue value = switch (type) {
            case STRING -> new XesValue.StringValue(raw, n);
            case ID -> new XesValue.IdValue(raw, n);
            case DATE -> new XesValue.DateValue((OffsetDateTime) parsed, n);
            case INT -> new XesValue.IntValue((Long) parsed, n);
            case FLOAT -> new XesValue.FloatValue((Double) parsed, n);
            case BOOLEAN -> new XesValue.BooleanValue((Boolean) parsed, n);
            case LIST -> new XesValue.ListValue(items == null ? List.of() : items, n);
            case CONTAINER -> new XesValue.ContainerValue(n);
        };
        return new XesValue.ListItem(key, value);
    }

    private static Object parseValue(XesType type, String key, String raw, int line) {
        try {
            return switch (type) {
                case DATE -> XesLexical.parseDate(raw);
                case INT -> XesLexical.parseInt(raw);
                case FLOAT -> XesLexical.parseFloat(raw);
                case BOOLEAN -> XesLexical.parseBoolean(raw);
                default -> raw;
            };
        } catch (IllegalArgumentException e) {
            throw new Problem(Kind.INVALID_VALUE, line, key, raw, "invalid " + type.element() + " value: " + e.getMessage());
        }
    }

    private List<XesValue.ListItem> readListItems() throws XMLStreamException {
        List<XesValue.ListItem> items = new ArrayList<>();
        while (nextTag(true) == XMLStreamConstants.START_ELEMENT) {
            items.add(readAttribute(attributeType(xml.getLocalName())));
        }
        return items;
    }

    private XesType attributeType(String element) {
        XesType type = XesType.forElement(element);
        if (type == null) {
            throw new Problem(Kind.INVALID_STRUCTURE, tagLine, null, null, "unexpected element <" + element + ">");
        }
        return type;
    }

    /** Attribute keys are unique per element in XES; a duplicate would otherwise silently drop data. */
    private static void put(Map<String, XesValue> map, XesValue.ListItem attribute, int line) {
        if (map.putIfAbsent(attribute.key(), attribute.value()) != null) {
            throw new Problem(Kind.INVALID_STRUCTURE, line, attribute.key(), null, "duplicate attribute key");
        }
    }

    /**
     * Advances to the next start or end tag, skipping whitespace, comments and processing instructions,
     * and keeps {@link #depth} and {@link #tagLine}. In strict mode text content is an error (XES has none).
     */
    private int nextTag(boolean strict) throws XMLStreamException {
        while (true) {
            // Where the previous event ended is where the next one starts: gives the line of the '<'.
            int line = xml.getLocation().getLineNumber();
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        // Not recoverable: reading on to the trace's end would walk the whole nesting.
                        throw reject(new Problem(Kind.INVALID_STRUCTURE, line, null, null,
                                                 "elements nested deeper than " + MAX_DEPTH), false, null);
                    }
                    // Whitespace in the prolog is not reported as an event, so for the root element the
                    // previous position is still on the XML declaration; use where its start tag ends.
                    tagLine = depth == 1 ? xml.getLocation().getLineNumber() : line;
                    return event;
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    return event;
                }
                case XMLStreamConstants.END_DOCUMENT -> {
                    return event;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (strict && !isBlank()) {
                        throw new Problem(Kind.INVALID_STRUCTURE, line, null, null, "unexpected text content");
                    }
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    // Allowed anywhere, carry no data.
                }
                case XMLStreamConstants.DTD -> throw new Problem(Kind.INVALID_STRUCTURE,
                        xml.getLocation().getLineNumber(), null, null,
                        "DOCTYPE declarations are not allowed in XES input");
                default -> {
                    if (strict) {
                        throw new Problem(Kind.INVALID_STRUCTURE, line, null, null,
                                "unexpected XML content (event type " + event + ")");
                    }
                }
            }
        }
    }

    private boolean isBlank() {
        char[] chars = xml.getTextCharacters();
        int end = xml.getTextStart() + xml.getTextLength();
        for (int i = xml.getTextStart(); i < end; i++) {
            char c = chars[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Skips the element at the cursor including its content. */
    private void skipElement() throws XMLStreamException {
        int target = depth - 1;
        while (depth > target) {
            if (nextTag(false) == XMLStreamConstants.END_DOCUMENT) {
                return;
            }
        }
    }

    /** After a problem inside a trace: moves past its end tag, picking up concept:name on the way. */
    private void skipRestOfTrace(int traceDepth) throws XMLStreamException {
        while (depth >= traceDepth) {
            int event = nextTag(false);
            if (event == XMLStreamConstants.END_DOCUMENT) {
                return;
            }
            if (event == XMLStreamConstants.START_ELEMENT && depth == traceDepth + 1 && traceName == null
                    && "string".equals(xml.getLocalName())
                    && XesEvent.ACTIVITY.equals(xml.getAttributeValue(null, "key"))) {
                traceName = xml.getAttributeValue(null, "value");
            }
        }
    }

    /** After {@code </log>}: let the parser check that only comments and whitespace follow. */
    private void finishDocument() throws XMLStreamException {
        while (nextTag(false) != XMLStreamConstants.END_DOCUMENT) {
            // The parser itself rejects a second root element.
        }
    }

    private XesFormatException reject(Problem p, boolean recoverable, Throwable cause) {
        return new XesFormatException(p.kind, inTrace ? traceName : null, inTrace ? traceOrdinal : 0,
                inTrace ? traceLine : 0, p.line, p.key, p.value, p.reason, recoverable && inTrace, cause);
    }

    private XesFormatException malformed(XMLStreamException e) {
        int line = lineOf(e, xml.getLocation().getLineNumber());
        return new XesFormatException(Kind.MALFORMED_XML, inTrace ? traceName : null, inTrace ? traceOrdinal : 0,
                inTrace ? traceLine : 0, line, null, null, "malformed XML: " + reasonOf(e), false, e);
    }

    private static int lineOf(XMLStreamException e, int fallback) {
        Location location = e.getLocation();
        return location != null && location.getLineNumber() > 0 ? location.getLineNumber() : fallback;
    }

    /** The JDK prefixes its message with "ParseError at [row,col]:[..]\nMessage: "; the location is reported separately. */
    private static String reasonOf(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("Message: ");
        return at >= 0 ? message.substring(at + "Message: ".length()) : message;
    }

    /** An XES-level problem found while parsing; converted to {@link XesFormatException} with trace context. */
    private static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final Kind kind;
        final int line;
        final String key;
        final String value;
        final String reason;

        Problem(Kind kind, int line, String key, String value, String reason) {
            // No stack trace: it is control flow, and the public exception carries the details.
            super(reason, null, false, false);
            this.kind = kind;
            this.line = line;
            this.key = key;
            this.value = value;
            this.reason = reason;
        }
    }
}
