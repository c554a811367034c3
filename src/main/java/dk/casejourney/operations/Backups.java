package dk.casejourney.operations;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.operations.api.Backup;
import dk.casejourney.operations.api.FindBackupQuery;
import dk.casejourney.operations.api.TakeBackupCommand;
import dk.casejourney.privacy.api.CitizenKeyFiles;
import org.axonframework.commandhandling.CommandHandler;
import jakarta.annotation.PreDestroy;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Online backups of the embedded H2 database, taken by the running ledger itself: only the process that has the
 * database open can read it consistently. H2's {@code BACKUP TO} copies the store while writes go on, up to a
 * consistent point after everything committed before it started; a restore is unzipping it into an empty
 * data directory. PostgreSQL and Axon Server have tools of their own (docs/operations.md).
 */
@Component
class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final Duration WAIT_IN_HANDLER = Duration.ofSeconds(20);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                                                    .withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final EventStore eventStore;
    private final OperationsProperties properties;
    private final Clock clock;
    private final Path keyDirectory;
    /** Backups of this instance, by id (a handful a day: kept until the instance stops). */
    private final Map<String, Backup> backups = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ledger-backup");
        thread.setDaemon(true);
        return thread;
    });

    Backups(DataSource dataSource, EventStore eventStore, OperationsProperties properties, Clock clock,
            @Value("${ledger.data-dir:./data}") String dataDir,
            @Value("${ledger.privacy.key-directory:}") String keyDirectory) {
        this.keyDirectory = CitizenKeyFiles.directory(dataDir, keyDirectory);
        this.dataSource = dataSource;
        this.eventStore = eventStore;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Starts the backup on a thread of its own and waits for it a while. Axon interrupts a command handler that
     * runs longer than its handler timeout (60 s), and an interrupt during H2's file I/O closes the database; so
     * the backup never runs on the handler's thread, and a long one is answered as still running.
     */
    @CommandHandler
    Backup handle(TakeBackupCommand command) throws SQLException, IOException, InterruptedException {
        Files.createDirectories(properties.backupWorkDir());
        try (Connection connection = dataSource.getConnection()) {
            if (!isH2(connection)) {
                throw RuleViolation.conflict("database", "the ledger runs on "
                        + connection.getMetaData().getDatabaseProductName()
                        + ": back it up with its own tools (pg_dump, pg_basebackup, Axon Server's backup)");
            }
        }
        Instant startedAt = clock.instant();
        long head = ProcessorStates.position(eventStore.createHeadToken());
        Path file = properties.backupWorkDir().resolve("ledger-" + STAMP.format(startedAt) + "-"
                                                               + command.backupId() + ".zip");
        Backup running = new Backup(command.backupId(), null, 0, 0, startedAt, head, false, null);
        backups.put(command.backupId(), running);
        Future<?> done = executor.submit(() -> run(running, file));
        try {
            done.get(WAIT_IN_HANDLER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException stillRunningOrRecorded) {
            // The backup's own thread records the outcome.
        }
        return backups.get(command.backupId());
    }

    @QueryHandler
    Optional<Backup> handle(FindBackupQuery query) {
        return Optional.ofNullable(backups.get(query.backupId()));
    }

    private void run(Backup running, Path file) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            backup(connection, file, keyDirectory);
            long millis = (System.nanoTime() - started) / 1_000_000;
            long bytes = Files.size(file);
            log.info("backup {}: {} bytes in {} ms, head position {}", running.backupId(), bytes, millis,
                     running.headPosition());
            backups.put(running.backupId(), new Backup(running.backupId(), file.toString(), bytes, millis,
                                                       running.startedAt(), running.headPosition(), true, null));
        } catch (SQLException | IOException | RuntimeException e) {
            log.error("backup {} failed", running.backupId(), e);
            backups.put(running.backupId(), new Backup(running.backupId(), null, 0,
                                                       (System.nanoTime() - started) / 1_000_000, running.startedAt(),
                                                       running.headPosition(), true,
                                                       e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }

    static boolean isH2(Connection connection) throws SQLException {
        return "H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * H2's online backup into a zip (the file must not exist yet), then the citizens' key files into its
     * {@code citizen-keys} folder: they live beside the database, and without them every citizen of the restored
     * ledger would read as erased.
     */
    static void backup(Connection connection, Path file, Path keyDirectory) throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BACKUP TO '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
        }
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            CitizenKeyFiles.copy(keyDirectory, zip.getPath(CitizenKeyFiles.FOLDER));
        }
    }
}
