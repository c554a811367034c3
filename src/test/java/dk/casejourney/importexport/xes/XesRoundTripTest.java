package dk.casejourney.importexport.xes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class XesRoundTripTest {

    private final XesReader reader = new XesReader();

    @Test
    void everyValueTypeSurvivesWriteAndRead() {
        Map<String, XesValue> logAttributes = new LinkedHashMap<>();
        logAttributes.put("concept:name", XesValue.string("Borgerservice journeys"));
        logAttributes.put("exported", XesValue.date(OffsetDateTime.parse("2024-03-31T01:59:59.999+01:00")));

        Map<String, XesValue> nested = new LinkedHashMap<>();
        nested.put("source", XesValue.string("kiosk"));
        nested.put("inner", new XesValue.BooleanValue(false, Map.of("why", XesValue.string("nested twice"))));
        Map<String, XesValue> traceAttributes = new LinkedHashMap<>();
        traceAttributes.put("concept:name", XesValue.string("case-\u00e6\u00f8\u00e5-1"));
        traceAttributes.put("channel", new XesValue.StringValue("Internet", nested));
        traceAttributes.put("note", XesValue.string("line one\nline two\ttab\r <&> \"quoted\" 'single' \ud83d\ude00"));
        traceAttributes.put("priority", XesValue.integer(Long.MIN_VALUE));
        traceAttributes.put("score", XesValue.floating(2.3832541524E7));
        traceAttributes.put("missing", XesValue.floating(Double.NaN));
        traceAttributes.put("limit", XesValue.floating(Double.NEGATIVE_INFINITY));
        traceAttributes.put("urgent", XesValue.bool(true));
        traceAttributes.put("citizen", XesValue.id("7b1c2f1e-3c0a-4a53-9d55-3e0d2c1b9a10"));
        traceAttributes.put("steps", new XesValue.ListValue(List.of(
                new XesValue.ListItem("step", XesValue.string("a")),
                new XesValue.ListItem("step", XesValue.integer(2)),
                new XesValue.ListItem("when", XesValue.date(OffsetDateTime.parse("2011-10-11T11:45:40Z")))),
                Map.of("meta", XesValue.string("list meta"))));
        traceAttributes.put("empty", XesValue.list(List.of()));
        traceAttributes.put("address", XesValue.container(Map.of("zip", XesValue.string("8000"))));

        Map<String, XesValue> eventAttributes = new LinkedHashMap<>();
        eventAttributes.put("concept:name", XesValue.string("Register"));
        eventAttributes.put("org:group", XesValue.string("Team A"));
        eventAttributes.put("org:resource", XesValue.string("clerk-7"));
        eventAttributes.put("lifecycle:transition", XesValue.string("In Progress"));
        eventAttributes.put("time:timestamp",
                XesValue.date(OffsetDateTime.parse("2011-10-11T11:45:40.123456789-03:30")));

        List<XesTrace> traces = List.of(
                XesTrace.of(traceAttributes, List.of(new XesEvent(eventAttributes), new XesEvent(eventAttributes))),
                XesTrace.of(Map.of("concept:name", XesValue.string("case-2")), List.of()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XesWriter writer = new XesWriter(out)) {
            writer.startLog(logAttributes);
            traces.forEach(writer::writeTrace);
            writer.endLog();
        }

        List<XesTrace> back;
        XesLog log;
        try (XesTraceIterator iterator = reader.open(new ByteArrayInputStream(out.toByteArray()))) {
            log = iterator.log();
            back = iterator.stream().toList();
        }
        assertThat(log.attributes()).isEqualTo(logAttributes);
        assertThat(log.extensions()).containsExactlyElementsOf(XesExtension.STANDARD);
        assertThat(log.xesVersion()).isEqualTo("1849-2016");
        assertThat(back).hasSize(2);
        for (int i = 0; i < traces.size(); i++) {
            assertThat(withoutLines(back.get(i))).isEqualTo(traces.get(i));
        }
        assertThat(new ArrayList<>(back.get(0).attributes().keySet()))
                .containsExactlyElementsOf(traceAttributes.keySet());
        assertThat(back.get(0).events().get(0).timestamp().toString()).isEqualTo("2011-10-11T11:45:40.123456789-03:30");
    }

    @Test
    void writesStandardHeaderAndMillisecondDates() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XesWriter writer = new XesWriter(out)) {
            writer.startLog(Map.of());
            writer.writeTrace(XesTrace.of(Map.of(), List.of(new XesEvent(Map.of("time:timestamp",
                    XesValue.date(OffsetDateTime.parse("2011-10-11T11:45:40.276+02:00")))))));
            writer.endLog();
        }
        String xml = out.toString(StandardCharsets.UTF_8);

        assertThat(xml)
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("<log xmlns=\"http://www.xes-standard.org/\" xes.version=\"1849-2016\"")
                .contains("<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>")
                .contains("<extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>")
                .contains("<extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>")
                .contains("<extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>")
                .contains("<date key=\"time:timestamp\" value=\"2011-10-11T11:45:40.276+02:00\"/>")
                .endsWith("</log>\n");
    }

    @Test
    void receiptLogSurvivesGzipRoundTrip() throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(XesReaderReceiptTest.RECEIPT);
             XesTraceIterator source = reader.open(in);
             GZIPOutputStream gz = new GZIPOutputStream(written)) {
            try (XesWriter writer = new XesWriter(gz)) {
                writer.startLog(source.log());
                source.forEachRemaining(writer::writeTrace);
                writer.endLog();
            }
            gz.finish();
        }

        long compared = 0;
        try (XesTraceIterator original = reader.open(XesReaderReceiptTest.RECEIPT);
             XesTraceIterator copy = reader.open(new ByteArrayInputStream(written.toByteArray()))) {
            assertThat(copy.log().attributes()).isEqualTo(original.log().attributes());
            assertThat(copy.log().extensions()).containsAll(original.log().extensions());
            Iterator<XesTrace> expected = original;
            while (expected.hasNext()) {
                assertThat(copy.hasNext()).isTrue();
                assertThat(withoutLines(copy.next())).isEqualTo(withoutLines(expected.next()));
                compared++;
            }
            assertThat(copy.hasNext()).isFalse();
        }
        assertThat(compared).isEqualTo(1434);
        // Sanity check that the copy really is gzip: the reader detected it by content.
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(written.toByteArray()))) {
            assertThat(gz.read()).isEqualTo('<');
        }
    }

    @Test
    void refusesCharactersXmlCannotHoldAndWrongCallOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XesWriter writer = new XesWriter(out)) {
            assertThatThrownBy(() -> writer.writeTrace(XesTrace.of(Map.of(), List.of())))
                    .isInstanceOf(IllegalStateException.class);
            writer.startLog(Map.of());
            assertThatThrownBy(() -> writer.writeTrace(XesTrace.of(
                    Map.of("bad", XesValue.string("nul\u0000")), List.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("U+0000");
        }
    }

    @Test
    void traceNameMustMatchConceptName() {
        assertThatThrownBy(() -> new XesTrace("a", Map.of("concept:name", XesValue.string("b")), List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Source lines differ between the original and the rewritten file; everything else must not. */
    private static XesTrace withoutLines(XesTrace trace) {
        return XesTrace.of(trace.attributes(),
                trace.events().stream().map(e -> new XesEvent(e.attributes())).toList());
    }
}
