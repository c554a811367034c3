package dk.casejourney.importexport;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.common.TextRules;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import dk.casejourney.importexport.xes.XesFormatException;
import dk.casejourney.importexport.xes.XesLog;
import dk.casejourney.importexport.xes.XesReader;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesTraceIterator;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Imports an XES log as historical journeys, in two streaming passes over the file:
 * <ol>
 *   <li>the whole file is read and checked (well-formed XML, XES structure, a valid timestamp on every event),
 *       so a broken file is refused before anything is recorded, naming the trace and line;</li>
 *   <li>each trace is mapped to commands ({@link TraceMapping}) and whole traces are recorded in all-or-nothing
 *       batches through {@link BulkRecording}, i.e. through the case's own rules.</li>
 * </ol>
 * Values that mean "not recorded" (e.g. org:resource "-") never cost a trace: they are recorded as absent and
 * counted in the report by attribute and value. Only a trace that cannot make a case is skipped: without a name,
 * without events, with an event without activity name, or refused by the case rules (the rule is the reason).
 * A trace imported before is skipped too (its
 * derived case id exists already: "already imported"); the batch is then recorded without it. Only whole traces
 * are ever recorded. If the import stops for another reason (e.g. the database fails), the batches committed
 * before hold whole cases, and running the same import again completes it: those cases are skipped as already
 * imported. Memory is flat in the size of the file: one trace at a time, plus at most {@value #RECORDERS} batches
 * (being recorded, or one being recorded while the next is filled), each of at most
 * {@link ImportMapping#tracesPerBatch} traces and about {@value #MAX_COMMANDS_PER_BATCH} commands.
 * <p>
 * The caller's thread reads and maps the traces while {@value #RECORDERS} threads of the import record its batches,
 * each in a transaction of its own: a batch's commit waits for H2 to write it to the file (or for PostgreSQL's WAL),
 * and meanwhile the next batch is recorded. The report is kept in the file's order all the same: each batch's
 * outcome is counted in the caller's thread, in the order the batches were filled.
 */
@Component
class LogImporter {

    /**
     * A batch is flushed once it holds this many commands (whole traces only, so a longer trace is a batch of its
     * own), whatever the mapping's traces per batch. With the case check reading the store rather than the batch's
     * staged events (journey/CaseCache), batches of 1,000 and 2,000 commands imported no faster than 250 on H2
     * (BPI Challenge 2013 incidents log, 2026-12-01), and a smaller batch holds locks and memory for less time.
     * Under Axon Server the check still looks through the staged events, a cost that grows with the batch squared.
     */
    static final int MAX_COMMANDS_PER_BATCH = 250;
    /** Progress is kept in import_report at most this often (each save is a commit of its own). */
    private static final long SAVE_EVERY_NANOS = 1_000_000_000L;
    /**
     * Batches recorded at once. On H2 the import's thread waited a quarter of its time for the file to be written
     * at each batch's commit (receipt log, 2026-12-02): a second batch uses that time, and both cores.
     */
    static final int RECORDERS = 2;

    /** Opens the log's bytes afresh for each pass (plain or gzip). */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    private final BulkRecording bulk;
    private final ImportReports reports;
    private final Clock clock;
    /** Whether the store holds a case of this id (read from the event store, not a read model that may lag). */
    private final Predicate<String> recorded;
    private final XesReader reader = new XesReader();

    @Autowired
    LogImporter(BulkRecording bulk, ImportReports reports, Clock clock, EventStore eventStore) {
        this(bulk, reports, clock, caseId -> eventStore.lastSequenceNumberFor(caseId).isPresent());
    }

    LogImporter(BulkRecording bulk, ImportReports reports, Clock clock, Predicate<String> recorded) {
        this.bulk = bulk;
        this.reports = reports;
        this.clock = clock;
        this.recorded = recorded;
    }

    /**
     * @param size     bytes of the file as given, -1 if not known (for progress)
     * @param progress called with the report after each batch and at the end
     * @return the final report, also kept for {@code GET /api/imports/{id}}
     */
    ImportReport importLog(String importId, String fileName, Source source, long size, ImportMapping mapping,
                           Consumer<ImportReport> progress) {
        Run run = new Run(importId, fileName, size, mapping.withDefaults(), progress);
        try {
            XesLog header = check(source);
            run.source = mapping.source() != null ? mapping.source()
                    : header.name() != null ? header.name() : stem(fileName);
            run.report(ImportReport.Status.RUNNING, null);
            record(source, run);
            return run.report(ImportReport.Status.COMPLETED, null);
        } catch (XesFormatException broken) {
            return run.report(ImportReport.Status.FAILED, new ImportReport.Failure(
                    broken.kind().name(), broken.traceName(), broken.line(), broken.getMessage()));
        } catch (RuntimeException failure) {
            run.report(ImportReport.Status.FAILED, new ImportReport.Failure(
                    "FAILED", null, -1, "the import stopped (" + failure.getClass().getSimpleName()
                    + "); the cases recorded so far are whole; import the log again to complete it"));
            throw failure;
        }
    }

    private XesLog check(Source source) {
        try (InputStream in = source.open(); XesTraceIterator traces = reader.open(in)) {
            XesLog header = traces.log();
            while (traces.hasNext()) {
                traces.next();
            }
            return header;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(Source source, Run run) {
        TraceMapping mapping = new TraceMapping(run.mapping, run.source);
        List<Pending> batch = new ArrayList<>();
        int commands = 0;
        try (InputStream in = source.open(); XesTraceIterator traces = reader.open(in);
             Recorders recorders = new Recorders(run)) {
            while (traces.hasNext()) {
                XesTrace trace = traces.next();
                run.tracesRead++;
                run.bytesRead = traces.bytesRead();
                if (trace.name() == null || trace.name().isBlank()) {
                    recorders.skip(trace, "the trace has no concept:name to keep as source reference");
                } else if (trace.events().isEmpty()) {
                    recorders.skip(trace, "the trace has no events");
                } else if (importedUnderItsEarlierId(run.source, trace.name())) {
                    recorders.skip(trace, "already imported");
                } else {
                    TraceMapping.Tally tally = new TraceMapping.Tally();
                    try {
                        Pending pending = new Pending(trace.name(), trace.line(), mapping.commands(trace, tally), tally);
                        if (!batch.isEmpty() && commands + pending.commands().size() > MAX_COMMANDS_PER_BATCH) {
                            recorders.record(batch);
                            batch = new ArrayList<>();
                            commands = 0;
                        }
                        batch.add(pending);
                        commands += pending.commands().size();
                    } catch (TraceMapping.Refused refused) {
                        recorders.skip(trace, refused.getMessage());
                    }
                }
                if (batch.size() >= run.mapping.tracesPerBatch() || commands >= MAX_COMMANDS_PER_BATCH) {
                    recorders.record(batch);
                    batch = new ArrayList<>();
                    commands = 0;
                }
            }
            run.bytesRead = traces.bytesRead();
            recorders.record(batch);
            recorders.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A trace skipped, with the reason the report gives. */
    private record Skip(String trace, int line, String reason) {
    }

    /** What became of a batch: the traces its recorder recorded, and those the case rules refused. */
    private record Outcome(List<Pending> recorded, List<Skip> refused) {
    }

    /** A batch handed to a recorder, with the skips noted while it was filled (so the report keeps the file's order). */
    private record UnderWay(List<Skip> before, Future<Outcome> outcome) {
    }

    /**
     * The import's recorder threads. A batch is handed over as it is filled; once {@value #RECORDERS} are under
     * way, the caller waits for the oldest and counts its outcome, so outcomes are counted in the file's order. A
     * batch that fails stops the import: the batches under way are awaited and counted (what they committed is
     * whole and recorded), then the failure is thrown.
     */
    private final class Recorders implements AutoCloseable {
        private final Run run;
        private final ExecutorService threads;
        private final Deque<UnderWay> underWay = new ArrayDeque<>();
        private List<Skip> skips = new ArrayList<>();

        Recorders(Run run) {
            this.run = run;
            AtomicInteger number = new AtomicInteger();
            this.threads = Executors.newFixedThreadPool(RECORDERS, task -> {
                Thread thread = new Thread(task, "import-" + run.importId + "-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }

        void skip(XesTrace trace, String reason) {
            skips.add(new Skip(trace.name(), trace.line(), reason));
        }

        void record(List<Pending> batch) {
            List<Skip> before = skips;
            skips = new ArrayList<>();
            if (batch.isEmpty()) {
                note(before);
                return;
            }
            // The trace id of the request or command line that started the import goes with its commands.
            Map<String, String> context = MDC.getCopyOfContextMap();
            underWay.add(new UnderWay(before, threads.submit(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    return recordBatch(batch, run.importId);
                } finally {
                    MDC.clear();
                }
            })));
            while (underWay.size() >= RECORDERS) {
                awaitOldest();
            }
        }

        void finish() {
            while (!underWay.isEmpty()) {
                awaitOldest();
            }
            note(skips);
            skips = new ArrayList<>();
        }

        private void awaitOldest() {
            UnderWay oldest = underWay.removeFirst();
            // The skips noted while the batch was filled come before it in the file, whatever became of it.
            note(oldest.before());
            try {
                count(oldest.outcome().get());
            } catch (ExecutionException failed) {
                RuntimeException failure = failed.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("a batch of the import failed", failed.getCause());
                awaitTheRest(failure);
                throw failure;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                IllegalStateException failure = new IllegalStateException("the import was interrupted", interrupted);
                awaitTheRest(failure);
                throw failure;
            }
        }

        /** After a failure: the batches still under way finish, and whatever they recorded is counted. */
        private void awaitTheRest(RuntimeException failure) {
            while (!underWay.isEmpty()) {
                UnderWay next = underWay.removeFirst();
                note(next.before());
                try {
                    count(next.outcome().get());
                } catch (ExecutionException another) {
                    failure.addSuppressed(another.getCause());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failure.addSuppressed(interrupted);
                    return;
                }
            }
        }

        private void note(List<Skip> skipped) {
            skipped.forEach(skip -> run.skip(skip.trace(), skip.line(), skip.reason()));
        }

        private void count(Outcome outcome) {
            for (Pending pending : outcome.recorded()) {
                run.casesImported++;
                run.entriesRecorded += pending.commands().size();
                run.eventsImported += pending.commands().stream().filter(RecordWorkCommand.class::isInstance).count();
                run.notRecorded.addAll(pending.tally());
            }
            note(outcome.refused());
            if (!outcome.recorded().isEmpty() || !outcome.refused().isEmpty()) {
                run.report(ImportReport.Status.RUNNING, null);
            }
        }

        /** On an exception the batches under way are awaited (and counted) before it goes on; then none is left. */
        @Override
        public void close() {
            if (!underWay.isEmpty()) {
                awaitTheRest(new IllegalStateException("the import stopped"));
            }
            threads.shutdown();
        }
    }

    /** A trace whose earlier case id held a CPR-shaped number, imported before that id was replaced. */
    private boolean importedUnderItsEarlierId(String source, String traceName) {
        String earlier = TraceMapping.earlierCaseId(source, traceName);
        return earlier != null && recorded.test(earlier);
    }

    /**
     * Records the batch, in a recorder's thread; a refused trace is taken out (skipped with the reason) and the
     * rest recorded again.
     */
    private Outcome recordBatch(List<Pending> batch, String importId) {
        List<Pending> left = new ArrayList<>(batch);
        List<Skip> refusals = new ArrayList<>();
        while (!left.isEmpty()) {
            List<CaseCommand> commands = new ArrayList<>();
            left.forEach(pending -> commands.addAll(pending.commands()));
            try {
                bulk.record("import:" + importId, commands);
                return new Outcome(left, refusals);
            } catch (BulkRecording.BatchRejected rejected) {
                if (rejected.violation() == null) {
                    throw rejected;
                }
                Pending refused = refused(left, rejected.index());
                left.remove(refused);
                refusals.add(new Skip(refused.trace(), refused.line(), reason(refused, rejected)));
            }
        }
        return new Outcome(List.of(), refusals);
    }

    private static Pending refused(List<Pending> batch, int index) {
        int start = 0;
        for (Pending pending : batch) {
            if (index < start + pending.commands().size()) {
                return pending;
            }
            start += pending.commands().size();
        }
        throw new IllegalStateException("the refused command " + index + " is not in the batch");
    }

    private static String reason(Pending refused, BulkRecording.BatchRejected rejected) {
        RuleViolation.Details violation = rejected.violation();
        boolean opening = refused.commands().get(0).entryId().equals(rejected.entryId())
                && refused.commands().get(0) instanceof OpenCaseCommand;
        if (opening && violation.kind() == RuleViolation.Kind.CONFLICT && "caseId".equals(violation.field())) {
            return "already imported";
        }
        return "refused by the case rules at entry " + rejected.entryId() + ": " + violation.field() + ": "
                + violation.reason();
    }

    private static String stem(String fileName) {
        String name = fileName == null ? "log" : fileName.replaceAll(".*[/\\\\]", "");
        return name.replaceAll("(?i)(\\.xes)?(\\.gz)?$", "");
    }

    /** A mapped trace waiting for its batch; its "not recorded" values count once it is recorded. */
    private record Pending(String trace, int line, List<CaseCommand> commands, TraceMapping.Tally tally) {
    }

    /** The counts of one import while it runs. */
    private final class Run {
        final String importId;
        final String fileName;
        final long size;
        final ImportMapping mapping;
        final Consumer<ImportReport> progress;
        final Instant startedAt = clock.instant();
        final long startedNanos = System.nanoTime();
        long savedNanos = startedNanos - SAVE_EVERY_NANOS;
        final List<ImportReport.Skipped> skipped = new ArrayList<>();
        final TraceMapping.Tally notRecorded = new TraceMapping.Tally();
        String source;
        long bytesRead;
        long tracesRead;
        long casesImported;
        long eventsImported;
        long entriesRecorded;
        long skippedCount;

        Run(String importId, String fileName, long size, ImportMapping mapping, Consumer<ImportReport> progress) {
            this.importId = importId;
            this.fileName = fileName;
            this.size = size;
            this.mapping = mapping;
            this.progress = progress;
        }

        void skip(String trace, int line, String reason) {
            skippedCount++;
            if (skipped.size() < ImportReport.MAX_LISTED) {
                // A trace named by a CPR number is refused; the report names it masked, never in plain text.
                skipped.add(new ImportReport.Skipped(TextRules.maskCprShaped(trace), line, reason));
            }
        }

        ImportReport report(ImportReport.Status status, ImportReport.Failure error) {
            long nanos = System.nanoTime() - startedNanos;
            ImportReport report = new ImportReport(
                    importId, fileName, source, status, startedAt,
                    status == ImportReport.Status.RUNNING ? null : startedAt.plusNanos(nanos), size, bytesRead,
                    tracesRead, casesImported, eventsImported, entriesRecorded, skippedCount, skipped, error,
                    nanos / 1_000_000, nanos == 0 ? 0 : eventsImported / (nanos / 1e9), mapping.unitAttribute(),
                    notRecorded.list());
            if (status != ImportReport.Status.RUNNING || System.nanoTime() - savedNanos >= SAVE_EVERY_NANOS) {
                reports.save(report);
                savedNanos = System.nanoTime();
            }
            progress.accept(report);
            return report;
        }
    }
}
