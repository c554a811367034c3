package dk.casejourney.operations;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.operations.api.Backup;
import dk.casejourney.operations.api.TakeBackupCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Online backups of the embedded H2 database, taken by the running ledger itself: only the process that has the
 * database open can read it consistently. H2's {@code BACKUP TO} copies the store while writes go on, up to a
 * consistent point after everything committed before it started; a restore is unzipping it into an empty
 * data directory. PostgreSQL and Axon Server have tools of their own (docs/operations.md).
 */
@Component
class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                                                    .withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final EventStore eventStore;
    private final OperationsProperties properties;
    private final Clock clock;

    Backups(DataSource dataSource, EventStore eventStore, OperationsProperties properties, Clock clock) {
        this.dataSource = dataSource;
        this.eventStore = eventStore;
        this.properties = properties;
        this.clock = clock;
    }

    @CommandHandler
    Backup handle(TakeBackupCommand command) throws SQLException, IOException {
        Files.createDirectories(properties.backupWorkDir());
        try (Connection connection = dataSource.getConnection()) {
            if (!isH2(connection)) {
                throw RuleViolation.conflict("database", "the ledger runs on "
                        + connection.getMetaData().getDatabaseProductName()
                        + ": back it up with its own tools (pg_dump, pg_basebackup, Axon Server's backup)");
            }
            Instant startedAt = clock.instant();
            long head = ProcessorStates.position(eventStore.createHeadToken());
            Path file = properties.backupWorkDir().resolve("ledger-" + STAMP.format(startedAt) + "-"
                                                                   + command.backupId() + ".zip");
            long started = System.nanoTime();
            backup(connection, file);
            long millis = (System.nanoTime() - started) / 1_000_000;
            long bytes = Files.size(file);
            log.info("backup {}: {} bytes in {} ms, head position {}", command.backupId(), bytes, millis, head);
            return new Backup(command.backupId(), file.toString(), bytes, millis, startedAt, head);
        }
    }

    static boolean isH2(Connection connection) throws SQLException {
        return "H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }

    /** H2's online backup into a zip; the file must not exist yet. */
    static void backup(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BACKUP TO '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
        }
    }
}
