package dk.casejourney.importexport;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.common.TextRules;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.OpenCaseCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogImporterBatchTest {

    /** Keeps each batch it is given (from the import's recorder threads); records nothing. */
    private static class Batches implements BulkRecording {
        final List<List<CaseCommand>> batches = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<String> record(String recordedBy, List<? extends CaseCommand> commands) {
            batches.add(List.copyOf(commands));
            return commands.stream().map(CaseCommand::entryId).toList();
        }
    }

    /** Reports go nowhere: the batches are what is looked at. */
    private static class NoReports extends ImportReports {
        NoReports() {
            super(null, null);
        }

        @Override
        void save(ImportReport report) {
        }
    }

    private static String log(int traces, int eventsPerTrace, int longTraceEvents) {
        StringBuilder xes = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <log xes.version="1.0" xmlns="http://www.xes-standard.org/">
                  <string key="concept:name" value="batches"/>
                """);
        for (int t = 0; t < traces; t++) {
            int events = t == traces / 2 ? longTraceEvents : eventsPerTrace;
            xes.append("<trace><string key=\"concept:name\" value=\"t").append(t).append("\"/>");
            for (int e = 0; e < events; e++) {
                xes.append("<event><string key=\"concept:name\" value=\"A").append(e % 3)
                   .append("\"/><string key=\"org:group\" value=\"U").append(e % 2)
                   .append("\"/><date key=\"time:timestamp\" value=\"2012-05-02T10:")
                   .append(String.format("%02d:%02d", e / 60 % 60, e % 60)).append(".000+02:00\"/></event>");
            }
            xes.append("</trace>\n");
        }
        return xes.append("</log>\n").toString();
    }

    @Test
    void givenALogOfManyTraces_whenImportedWithTheDefaultBatch_thenEachBatchHoldsWholeTracesAndAtMostTheCommandBound() {
        Batches bulk = new Batches();
        LogImporter importer = new LogImporter(bulk, new NoReports(), Clock.systemUTC(), caseId -> false);
        byte[] file = log(300, 12, 600).getBytes(StandardCharsets.UTF_8);

        ImportReport report = importer.importLog("id", "batches.xes", () -> new ByteArrayInputStream(file),
                                                 file.length, ImportMapping.defaults(), progress -> { });

        assertThat(report.status()).isEqualTo(ImportReport.Status.COMPLETED);
        assertThat(report.casesImported()).isEqualTo(300);
        assertThat(bulk.batches).hasSizeGreaterThan(300 * 12 * 2 / LogImporter.MAX_COMMANDS_PER_BATCH);
        for (List<CaseCommand> batch : bulk.batches) {
            assertThat(batch.get(0)).as("a batch starts with a whole trace's opening").isInstanceOf(OpenCaseCommand.class);
            long openings = batch.stream().filter(OpenCaseCommand.class::isInstance).count();
            assertThat(batch.size() <= LogImporter.MAX_COMMANDS_PER_BATCH || openings == 1)
                    .as("a batch of %d commands holds more than the one long trace", batch.size()).isTrue();
        }
        assertThat(bulk.batches.stream().mapToInt(List::size).max().orElseThrow())
                .as("the 600-event trace is a batch of its own").isGreaterThan(600);
    }

    @Test
    void givenATraceWhoseFirstCaseIdIsCprShaped_whenImported_thenItsCaseGetsAnIdTheLedgerAcceptsInPaths() {
        int shaped = firstTraceWithACprShapedEarlierId();
        Batches bulk = new Batches();
        LogImporter importer = new LogImporter(bulk, new NoReports(), Clock.systemUTC(), caseId -> false);
        byte[] file = log(shaped + 1, 2, 2).getBytes(StandardCharsets.UTF_8);

        ImportReport report = importer.importLog("id", "batches.xes", () -> new ByteArrayInputStream(file),
                                                 file.length, ImportMapping.defaults(), progress -> { });

        assertThat(report.casesImported()).isEqualTo(shaped + 1);
        List<String> caseIds = bulk.batches.stream().flatMap(List::stream).filter(OpenCaseCommand.class::isInstance)
                                           .map(CaseCommand::caseId).toList();
        assertThat(caseIds).hasSize(shaped + 1).doesNotHaveDuplicates()
                           .doesNotContain(TraceMapping.earlierCaseId("batches", "t" + shaped))
                           .noneMatch(TextRules::containsCprShaped);
    }

    @Test
    void givenATraceImportedBeforeUnderItsCprShapedId_whenTheLogIsImportedAgain_thenItIsSkippedAsAlreadyImported() {
        int shaped = firstTraceWithACprShapedEarlierId();
        String earlier = TraceMapping.earlierCaseId("batches", "t" + shaped);
        Batches bulk = new Batches();
        LogImporter importer = new LogImporter(bulk, new NoReports(), Clock.systemUTC(), earlier::equals);
        byte[] file = log(shaped + 1, 2, 2).getBytes(StandardCharsets.UTF_8);

        ImportReport report = importer.importLog("id", "batches.xes", () -> new ByteArrayInputStream(file),
                                                 file.length, ImportMapping.defaults(), progress -> { });

        assertThat(report.casesImported()).as("every other trace").isEqualTo(shaped);
        assertThat(report.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.trace()).isEqualTo("t" + shaped);
            assertThat(skipped.reason()).isEqualTo("already imported");
        });
    }

    @Test
    void givenALogOfSeveralBatches_whenImported_thenTwoBatchesAreRecordedAtOnceAndTheReportKeepsTheFilesOrder()
            throws Exception {
        // The first two batches must be under way together: each waits (at most 10 s) for the other.
        CyclicBarrier together = new CyclicBarrier(LogImporter.RECORDERS);
        AtomicInteger calls = new AtomicInteger();
        Batches bulk = new Batches() {
            @Override
            public List<String> record(String recordedBy, List<? extends CaseCommand> commands) {
                if (calls.incrementAndGet() <= LogImporter.RECORDERS) {
                    try {
                        together.await(10, TimeUnit.SECONDS);
                    } catch (Exception notTogether) {
                        throw new IllegalStateException("the batches were recorded one after the other", notTogether);
                    }
                }
                CaseCommand refused = commands.stream()
                                              .filter(c -> c.caseId().equals(TraceMapping.caseId("batches", "t17")))
                                              .findFirst().orElse(null);
                if (refused != null) {
                    throw new BatchRejected(commands.indexOf(refused), refused.caseId(), refused.entryId(),
                                            "OpenCaseCommand", new RuleViolation.Details(
                                                    RuleViolation.Kind.INVALID, "occurredAt", "is in the future"), null);
                }
                return super.record(recordedBy, commands);
            }
        };
        LogImporter importer = new LogImporter(bulk, new NoReports(), Clock.systemUTC(), caseId -> false);
        // 120 traces of 12 events (24 commands): ten traces a batch; t5 and t64 have no events, t17 is refused.
        byte[] file = withoutEvents(log(120, 12, 12).getBytes(StandardCharsets.UTF_8), "t5", "t64");

        ImportReport report = importer.importLog("id", "batches.xes", () -> new ByteArrayInputStream(file),
                                                 file.length, ImportMapping.defaults(), progress -> { });

        assertThat(report.status()).isEqualTo(ImportReport.Status.COMPLETED);
        assertThat(report.casesImported()).isEqualTo(117);
        assertThat(bulk.batches.stream().mapToLong(b -> b.stream().filter(OpenCaseCommand.class::isInstance).count())
                               .sum()).isEqualTo(117);
        assertThat(report.skipped()).extracting(ImportReport.Skipped::trace).containsExactly("t5", "t17", "t64");
    }

    @Test
    void givenABatchThatFails_whenImported_thenTheImportStopsAndCountsWhatTheBatchesUnderWayRecorded() {
        // Every batch from the one holding t20 on fails; t21, skipped while such a batch was filled, is reported.
        Set<String> failing = new HashSet<>();
        for (int trace = 20; trace < 300; trace++) {
            failing.add(TraceMapping.caseId("batches", "t" + trace));
        }
        AtomicInteger calls = new AtomicInteger();
        List<ImportReport> saved = Collections.synchronizedList(new ArrayList<>());
        Batches bulk = new Batches() {
            @Override
            public List<String> record(String recordedBy, List<? extends CaseCommand> commands) {
                calls.incrementAndGet();
                if (commands.stream().anyMatch(command -> failing.contains(command.caseId()))) {
                    throw new IllegalStateException("the database is gone");
                }
                return super.record(recordedBy, commands);
            }
        };
        LogImporter importer = new LogImporter(bulk, new NoReports() {
            @Override
            void save(ImportReport report) {
                saved.add(report);
            }
        }, Clock.systemUTC(), caseId -> false);
        byte[] file = withoutEvents(log(300, 12, 12).getBytes(StandardCharsets.UTF_8), "t21");

        assertThatThrownBy(() -> importer.importLog("id", "batches.xes", () -> new ByteArrayInputStream(file),
                                                    file.length, ImportMapping.defaults(), progress -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("the database is gone");

        ImportReport last = saved.get(saved.size() - 1);
        assertThat(last.status()).isEqualTo(ImportReport.Status.FAILED);
        assertThat(calls.get()).as("no batch is handed over once the failure is seen")
                               .isLessThanOrEqualTo(bulk.batches.size() + LogImporter.RECORDERS);
        assertThat(last.casesImported()).as("every batch that was recorded, and only those").isPositive()
                                        .isEqualTo(bulk.batches.stream().mapToLong(b -> b.stream()
                                                .filter(OpenCaseCommand.class::isInstance).count()).sum());
        assertThat(last.skipped()).extracting(ImportReport.Skipped::trace).containsExactly("t21");
    }

    /** Removes every event of the named traces. */
    private static byte[] withoutEvents(byte[] file, String... traces) {
        String xes = new String(file, StandardCharsets.UTF_8);
        for (String trace : traces) {
            xes = xes.replaceAll("(<trace><string key=\"concept:name\" value=\"" + trace + "\"/>)(<event>.*?</event>)+",
                                 "$1");
        }
        return xes.getBytes(StandardCharsets.UTF_8);
    }

    /** The first trace name t0, t1, … of the log "batches" whose id before 2026-12-01 held a CPR-shaped number. */
    private static int firstTraceWithACprShapedEarlierId() {
        for (int index = 0; index < 1_000_000; index++) {
            if (TraceMapping.earlierCaseId("batches", "t" + index) != null) {
                return index;
            }
        }
        throw new AssertionError("no trace name in a million gives a CPR-shaped id");
    }
}
