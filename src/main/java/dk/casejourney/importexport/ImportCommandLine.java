package dk.casejourney.importexport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.common.Identifiers;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code java -jar ledger.jar --import=path/to/log.xes.gz [--import.mapping=mapping.json]} imports the log,
 * prints progress (bytes read of the file's size, traces, events/s) and the report, waits until every read model
 * has reached the head of the ledger (so the imported journeys' figures can be read as soon as the server
 * starts, and the time it took is known), and exits: status 0 when the import completed, 1 when the file was
 * refused (the message names trace and line) or the import failed.
 */
@Component
class ImportCommandLine implements ApplicationRunner {

    private final LogImporter importer;
    private final ObjectMapper objectMapper;
    private final ConfigurableApplicationContext context;
    private final QueryGateway queries;
    private final PrintStream out = System.out;

    ImportCommandLine(LogImporter importer, ObjectMapper objectMapper, ConfigurableApplicationContext context,
                      QueryGateway queries) {
        this.importer = importer;
        this.objectMapper = objectMapper;
        this.context = context;
        this.queries = queries;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (!args.containsOption("import")) {
            return;
        }
        Path file = Path.of(args.getOptionValues("import").get(0));
        ImportMapping mapping = args.containsOption("import.mapping")
                ? ImportController.bounded(objectMapper.readValue(
                        Path.of(args.getOptionValues("import.mapping").get(0)).toFile(), ImportMapping.class))
                : ImportMapping.defaults();
        int status = run(file, mapping);
        System.exit(SpringApplication.exit(context, () -> status));
    }

    int run(Path file, ImportMapping mapping) throws Exception {
        long size = Files.size(file);
        out.printf("import: %s (%,d bytes): checking the file, then recording ...%n", file, size);
        long[] lastPrint = {System.nanoTime()};
        ImportReport report = importer.importLog(
                Identifiers.random(), file.getFileName().toString(), () -> Files.newInputStream(file), size,
                mapping, progress -> {
                    if (progress.status() == ImportReport.Status.RUNNING
                            && System.nanoTime() - lastPrint[0] >= 1_000_000_000L) {
                        lastPrint[0] = System.nanoTime();
                        out.printf("import: %,d of %,d bytes (%d%%), %,d traces, %,d cases, %,d events, %,.0f events/s%n",
                                   progress.bytesRead(), size, size == 0 ? 100 : progress.bytesRead() * 100 / size,
                                   progress.tracesRead(), progress.casesImported(), progress.eventsImported(),
                                   progress.eventsPerSecond());
                    }
                });
        out.printf("import %s: %s, source \"%s\": %,d traces read, %,d cases and %,d events imported "
                           + "(%,d ledger entries), %,d skipped, in %,d ms (%,.0f events/s)%n",
                   report.importId(), report.status(), report.source(), report.tracesRead(), report.casesImported(),
                   report.eventsImported(), report.entriesRecorded(), report.skippedCount(), report.durationMs(),
                   report.eventsPerSecond());
        report.skipped().stream().limit(20).forEach(skipped -> out.printf("  skipped %s (line %d): %s%n",
                                                                         skipped.trace(), skipped.line(),
                                                                         skipped.reason()));
        if (report.error() != null) {
            out.println("import refused: " + report.error().message());
        }
        if (report.status() == ImportReport.Status.COMPLETED) {
            awaitReadModels();
        }
        return report.status() == ImportReport.Status.COMPLETED ? 0 : 1;
    }

    /**
     * Waits until every read model's lag is 0, printing what is left once a second. A read model that is
     * stopped, stalled or in error is reported and not waited for: it catches up when the server runs (the
     * events are stored; the import's status does not depend on it).
     */
    private void awaitReadModels() throws InterruptedException {
        long started = System.nanoTime();
        long lastPrint = started;
        while (true) {
            ProjectionList list = queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
            List<ProjectionList.Projection> behind = list.projections().stream()
                    // No lag: not a streaming processor, nothing to wait for.
                    .filter(projection -> projection.lag() != null && projection.lag() > 0).toList();
            List<ProjectionList.Projection> stuck = behind.stream()
                    .filter(projection -> projection.state() != ProjectionList.State.RUNNING
                            && projection.state() != ProjectionList.State.REPLAYING).toList();
            if (behind.isEmpty() || !stuck.isEmpty()) {
                stuck.forEach(projection -> out.printf("read model %s is %s, %s events behind: it catches up when "
                                                               + "the server runs%n", projection.name(),
                                                       projection.state(), projection.lag()));
                out.printf("read models at the head of the ledger (%,d) %.1f s after the import%s%n", list.head(),
                           (System.nanoTime() - started) / 1e9, stuck.isEmpty() ? "" : ", except the above");
                return;
            }
            if (System.nanoTime() - lastPrint >= 1_000_000_000L) {
                lastPrint = System.nanoTime();
                out.println("read models catching up: " + behind.stream()
                        .map(projection -> projection.name() + " " + projection.lag() + " events behind")
                        .collect(Collectors.joining(", ")));
            }
            Thread.sleep(20);
        }
    }
}
