package dk.casejourney.importexport.xes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dk.casejourney.importexport.xes.XesFormatException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small hand-written logs; line numbers in comments refer to the text blocks (line 1 = XML declaration). */
class XesReaderErrorTest {

    private final XesReader reader = new XesReader();

    @Test
    void unclosedTagIsReportedWithItsLineAfterTheGoodTracesBefore() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log xmlns="http://www.xes-standard.org/">
                  <trace>
                    <string key="concept:name" value="c1"/>
                    <event><date key="time:timestamp" value="2011-10-11T11:45:40.276+02:00"/></event>
                  </trace>
                  <trace>
                    <string key="concept:name" value="c2"/>
                    <event>
                      <date key="time:timestamp" value="2011-10-11T11:45:40.276+02:00"/>
                  </trace>
                </log>
                """;
        List<String> delivered = new ArrayList<>();

        XesFormatException e = catchThrowableOfType(XesFormatException.class,
                () -> reader.read(plain(xml), (trace, progress) -> delivered.add(trace.name())));

        // The <event> opened on line 9 is closed by </trace> on line 11.
        assertThat(delivered).containsExactly("c1");
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_XML);
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.traceName()).isEqualTo("c2");
        assertThat(e.traceOrdinal()).isEqualTo(2);
        assertThat(e.recoverable()).isFalse();
        assertThat(e).hasMessageContaining("line 11").hasMessageContaining("'c2'").hasMessageContaining("malformed XML");
    }

    @Test
    void malformedXmlIsFinalForTheIterator() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log>
                  <trace>
                    <string key="concept:name" value="c1"
                  </trace>
                </log>
                """;
        try (XesTraceIterator traces = reader.open(plain(xml))) {
            XesFormatException first = catchThrowableOfType(XesFormatException.class, traces::hasNext);
            assertThat(first.kind()).isEqualTo(Kind.MALFORMED_XML);
            assertThat(first.line()).isEqualTo(5);
            // The name attribute is inside the broken tag, so the trace is named by its position.
            assertThat(first).hasMessageContaining("trace #1");
            assertThatThrownBy(traces::hasNext).isSameAs(first);
        }
    }

    @Test
    void truncatedGzipSurfacesAsMalformedInput() throws IOException {
        byte[] whole = gzip(validLog());
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 20);
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(cut), (t, p) -> { }))
                .isInstanceOfSatisfying(XesFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_XML));
    }

    @Test
    void eventWithoutTimestampNamesTraceAndLineEvenWhenTheNameComesLater() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log>
                  <trace>
                    <event>
                      <string key="concept:name" value="Register"/>
                    </event>
                    <string key="concept:name" value="case-7"/>
                  </trace>
                </log>
                """;
        List<XesTrace> delivered = new ArrayList<>();

        XesFormatException e = catchThrowableOfType(XesFormatException.class,
                () -> reader.read(plain(xml), (trace, progress) -> delivered.add(trace)));

        assertThat(delivered).isEmpty();
        assertThat(e.kind()).isEqualTo(Kind.MISSING_TIMESTAMP);
        assertThat(e.traceName()).isEqualTo("case-7");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.traceLine()).isEqualTo(3);
        assertThat(e).hasMessageContaining("'case-7'").hasMessageContaining("line 4").hasMessageContaining("time:timestamp");
    }

    @Test
    void timestampsCanBeOptional() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log><trace><event><string key="concept:name" value="Register"/></event></trace></log>
                """;
        try (XesTraceIterator traces = reader.requireTimestamps(false).open(plain(xml))) {
            XesEvent event = traces.next().events().get(0);
            assertThat(event.activity()).isEqualTo("Register");
            assertThat(event.timestamp()).isNull();
            assertThat(traces.hasNext()).isFalse();
        }
    }

    @Test
    void unparseableDateNamesTraceLineAndValueAndLaterTracesCanStillBeRead() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log>
                  <trace>
                    <string key="concept:name" value="case-1"/>
                    <event>
                      <date key="time:timestamp" value="2011-13-11T11:45:40.276+02:00"/>
                    </event>
                  </trace>
                  <trace>
                    <string key="concept:name" value="case-2"/>
                    <event><date key="time:timestamp" value="2011-10-11T11:45:40Z"/></event>
                  </trace>
                </log>
                """;
        try (XesTraceIterator traces = reader.open(plain(xml))) {
            XesFormatException e = catchThrowableOfType(XesFormatException.class, traces::hasNext);

            assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
            assertThat(e.traceName()).isEqualTo("case-1");
            assertThat(e.line()).isEqualTo(6);
            assertThat(e.key()).isEqualTo("time:timestamp");
            assertThat(e.value()).isEqualTo("2011-13-11T11:45:40.276+02:00");
            assertThat(e).hasMessageContaining("'case-1'").hasMessageContaining("line 6")
                    .hasMessageContaining("2011-13-11T11:45:40.276+02:00");
            assertThat(e.recoverable()).isTrue();

            assertThat(traces.next().name()).isEqualTo("case-2");
            assertThat(traces.hasNext()).isFalse();
        }
    }

    @Test
    void nonNumericIntAndFloatAreRejected() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log>
                  <trace>
                    <string key="concept:name" value="case-1"/>
                    <int key="amount" value="12a"/>
                  </trace>
                  <trace>
                    <string key="concept:name" value="case-2"/>
                    <float key="cost" value="1,5"/>
                  </trace>
                </log>
                """;
        try (XesTraceIterator traces = reader.open(plain(xml))) {
            XesFormatException intError = catchThrowableOfType(XesFormatException.class, traces::hasNext);
            XesFormatException floatError = catchThrowableOfType(XesFormatException.class, traces::hasNext);

            assertThat(intError.kind()).isEqualTo(Kind.INVALID_VALUE);
            assertThat(intError).hasMessageContaining("'case-1'").hasMessageContaining("line 5").hasMessageContaining("'12a'");
            assertThat(floatError.kind()).isEqualTo(Kind.INVALID_VALUE);
            assertThat(floatError).hasMessageContaining("'case-2'").hasMessageContaining("line 9").hasMessageContaining("'1,5'");
            assertThat(traces.hasNext()).isFalse();
        }
    }

    @Test
    void errorInTheLogHeaderIsNotTiedToATrace() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <log>
                  <int key="size" value="many"/>
                  <trace/>
                </log>
                """;
        assertThatThrownBy(() -> reader.read(plain(xml), (t, p) -> { }))
                .isInstanceOfSatisfying(XesFormatException.class, e -> {
                    assertThat(e.traceOrdinal()).isZero();
                    assertThat(e.recoverable()).isFalse();
                    assertThat(e).hasMessageStartingWith("XES log, line 3:");
                });
    }

    @Test
    void rejectsNonXesStructure() {
        assertThatThrownBy(() -> reader.read(plain("<?xml version=\"1.0\"?>\n\n<html/>"), (t, p) -> { }))
                .hasMessageContaining("line 3: the root element must be <log>");
        String unknown = """
                <?xml version="1.0"?>
                <log><trace><event><date key="time:timestamp" value="2011-10-11T11:45:40Z"/><note/></event></trace></log>
                """;
        assertThatThrownBy(() -> reader.read(plain(unknown), (t, p) -> { }))
                .isInstanceOfSatisfying(XesFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_STRUCTURE))
                .hasMessageContaining("<note>");
    }

    @Test
    void refusesDoctypeSoExternalEntitiesAreNeverResolved(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "top-secret");
        String xml = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE log [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<log><string key=\"leak\" value=\"&xxe;\"/></log>\n";

        assertThatThrownBy(() -> reader.read(plain(xml), (t, p) -> { }))
                .isInstanceOfSatisfying(XesFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(XesFormatException.Kind.INVALID_STRUCTURE))
                .hasMessageContaining("line 2: DOCTYPE")
                .hasMessageNotContaining("top-secret");
    }

    @Test
    void gzipAndPlainInputAreBothDetectedByContent() throws IOException {
        List<XesTrace> fromPlain = readAll(plain(validLog()));
        List<XesTrace> fromGzip = readAll(new ByteArrayInputStream(gzip(validLog())));

        assertThat(fromPlain).hasSize(1).isEqualTo(fromGzip);
    }

    @Test
    void keepsNonStandardLifecycleAndExactDates() {
        XesEvent event = readAll(plain(validLog())).get(0).events().get(0);

        assertThat(event.lifecycle()).isEqualTo("In Progress");
        assertThat(event.timestamp()).isEqualTo(OffsetDateTime.parse("2011-10-11T11:45:40.276+02:00"));
        assertThat(event.timestamp().getOffset().getTotalSeconds()).isEqualTo(7200);
    }

    private List<XesTrace> readAll(InputStream in) {
        try (XesTraceIterator traces = reader.open(in)) {
            return traces.stream().toList();
        }
    }

    private static String validLog() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
                  <trace>
                    <string key="concept:name" value="case-1"/>
                    <event>
                      <string key="concept:name" value="Register"/>
                      <string key="lifecycle:transition" value="In Progress"/>
                      <date key="time:timestamp" value="2011-10-11T11:45:40.276+02:00"/>
                    </event>
                  </trace>
                </log>
                """;
    }

    private static InputStream plain(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(String xml) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
