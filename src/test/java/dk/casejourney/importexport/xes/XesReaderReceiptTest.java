package dk.casejourney.importexport.xes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Reads the real CoSeLoG receipt log described in shared/data/README.md. */
class XesReaderReceiptTest {

    static final Path RECEIPT = Path.of("..", "shared", "data", "receipt.xes.gz");

    private final XesReader reader = new XesReader();

    @Test
    void readsAllTracesAndEventsWithProgress() throws IOException {
        List<XesProgress> progress = new ArrayList<>();
        List<XesLog> logs = new ArrayList<>();
        XesProgress done;
        try (InputStream in = Files.newInputStream(RECEIPT)) {
            done = reader.read(in, new XesTraceHandler() {
                @Override
                public void onLog(XesLog log) {
                    logs.add(log);
                }

                @Override
                public void onTrace(XesTrace trace, XesProgress p) {
                    progress.add(p);
                }
            });
        }

        // Figures from the README, confirmed with: zcat receipt.xes.gz | grep -c '<trace' (1434), '<event' (8577).
        assertThat(done.traces()).isEqualTo(1434);
        assertThat(done.events()).isEqualTo(8577);
        assertThat(progress).hasSize(1434);
        assertThat(logs).hasSize(1);
        // Progress counts compressed bytes, so at the end it equals the file size.
        assertThat(done.bytesRead()).isEqualTo(Files.size(RECEIPT));
        assertThat(progress).extracting(XesProgress::bytesRead).isSorted();
        assertThat(progress.get(0).bytesRead()).isLessThan(done.bytesRead());
    }

    @Test
    void firstTraceMatchesTheFile() {
        XesTrace first;
        try (XesTraceIterator traces = reader.open(RECEIPT)) {
            first = traces.next();
        }

        // zcat receipt.xes.gz | sed -n 1798,1837p : the first <trace> starts on line 1798, its
        // concept:name is case-10011 and it has 4 events; the first event (line 1807) is
        // "Confirmation of receipt" at 2011-10-11T13:45:40.276+02:00, the last at 2011-11-24T15:37:16.553+01:00.
        assertThat(first.name()).isEqualTo("case-10011");
        assertThat(first.line()).isEqualTo(1798);
        assertThat(first.events()).hasSize(4);
        assertThat(first.attributes().get("channel")).isEqualTo(XesValue.string("Internet"));
        assertThat(first.attributes().get("startdate")).isEqualTo(
                XesValue.date(OffsetDateTime.parse("2011-10-11T13:42:22.688+02:00")));

        XesEvent firstEvent = first.events().get(0);
        assertThat(firstEvent.line()).isEqualTo(1807);
        assertThat(firstEvent.activity()).isEqualTo("Confirmation of receipt");
        assertThat(firstEvent.group()).isEqualTo("Group 1");
        assertThat(firstEvent.resource()).isEqualTo("Resource21");
        assertThat(firstEvent.lifecycle()).isEqualTo("complete");
        assertThat(firstEvent.timestamp())
                .isEqualTo(OffsetDateTime.of(2011, 10, 11, 13, 45, 40, 276_000_000, ZoneOffset.ofHours(2)));
        assertThat(first.events().get(3).timestamp())
                .isEqualTo(OffsetDateTime.of(2011, 11, 24, 15, 37, 16, 553_000_000, ZoneOffset.ofHours(1)));
    }

    @Test
    void keepsBothDaylightSavingOffsetsAndLifecycleValues() {
        Map<ZoneOffset, Integer> offsets = new HashMap<>();
        Set<String> lifecycles = new HashSet<>();
        try (XesTraceIterator traces = reader.open(RECEIPT)) {
            traces.stream().flatMap(t -> t.events().stream()).forEach(e -> {
                offsets.merge(e.timestamp().getOffset(), 1, Integer::sum);
                lifecycles.add(e.lifecycle());
            });
        }

        // zcat ... | grep -o 'time:timestamp" value="[^"]*"' | grep -o '[+-][0-9:]*"$' | sort | uniq -c
        // gives 4319 +01:00 and 4259 +02:00; one +01:00 is the default in <global scope="event">, not an event.
        assertThat(offsets).containsOnly(
                Map.entry(ZoneOffset.ofHours(1), 4318), Map.entry(ZoneOffset.ofHours(2), 4259));
        // Every event in this log is "complete" (grep 'lifecycle:transition'); a non-standard value does not
        // occur, so XesReaderErrorTest checks "In Progress" on a made-up log.
        assertThat(lifecycles).containsExactly("complete");
    }

    @Test
    void exposesLogHeaderWithNestedAttributes() {
        XesLog log;
        try (XesTraceIterator traces = reader.open(RECEIPT)) {
            log = traces.log();
        }

        // Line 231 of the decompressed file; the curly quotes check UTF-8 decoding.
        assertThat(log.name())
                .isEqualTo("Receipt phase of an environmental permit application process (\u2018WABO\u2019), CoSeLoG project");
        assertThat(log.xesVersion()).isEqualTo("1.0");
        assertThat(log.extensions()).contains(XesExtension.CONCEPT, XesExtension.TIME,
                XesExtension.ORGANIZATIONAL, XesExtension.LIFECYCLE).hasSize(11);
        // Lines 47-48: a float with nested per-resource floats.
        XesValue deviation = log.attributes().get("meta_org:resource_events_standard_deviation");
        assertThat(deviation).isInstanceOf(XesValue.FloatValue.class);
        assertThat(((XesValue.FloatValue) deviation).value()).isEqualTo(2.167);
        assertThat(deviation.nested()).hasSize(48).containsEntry("Resource14", XesValue.floating(1.004));
        assertThat(log.attributes().get("meta_org:role_events_total"))
                .isEqualTo(new XesValue.IntValue(8577, Map.of("UNKNOWN", XesValue.integer(8577))));
    }

    @Test
    void plainXmlGivesTheSameTracesAsGzip() throws IOException {
        byte[] plain;
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(RECEIPT))) {
            plain = gz.readAllBytes();
        }
        List<XesTrace> fromPlain;
        try (XesTraceIterator traces = reader.open(new ByteArrayInputStream(plain))) {
            fromPlain = traces.stream().toList();
        }
        List<XesTrace> fromGzip;
        try (XesTraceIterator traces = reader.open(RECEIPT)) {
            fromGzip = traces.stream().toList();
        }
        assertThat(fromPlain).hasSize(1434).isEqualTo(fromGzip);
    }
}
