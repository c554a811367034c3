package dk.casejourney.importexport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code java -jar ledger.jar --import=path/to/log.xes.gz [--import.mapping=mapping.json]} imports the log,
 * prints progress (bytes read of the file's size, traces, events/s) and the report, and exits: status 0 when the
 * import completed, 1 when the file was refused (the message names trace and line) or the import failed.
 */
@Component
class ImportCommandLine implements ApplicationRunner {

    private final LogImporter importer;
    private final ObjectMapper objectMapper;
    private final ConfigurableApplicationContext context;
    private final PrintStream out = System.out;

    ImportCommandLine(LogImporter importer, ObjectMapper objectMapper, ConfigurableApplicationContext context) {
        this.importer = importer;
        this.objectMapper = objectMapper;
        this.context = context;
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
                UUID.randomUUID().toString(), file.getFileName().toString(), () -> Files.newInputStream(file), size,
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
        return report.status() == ImportReport.Status.COMPLETED ? 0 : 1;
    }
}
