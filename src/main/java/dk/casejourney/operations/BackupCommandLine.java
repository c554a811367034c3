package dk.casejourney.operations;

import dk.casejourney.privacy.api.CitizenKeyFiles;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar ledger.jar --backup=DIR} writes a consistent backup of the embedded database into DIR and
 * exits (0 on success). When a ledger answers at {@code --backup.ledger-url} (default
 * {@code http://127.0.0.1:8080}), the running ledger takes the backup (only the process that has the database
 * open can read it while it writes) and sends it here over {@code POST /api/admin/backups}, signed in as
 * {@code --backup.user} (default {@code admin}) with the password in {@code LEDGER_BACKUP_PASSWORD} or
 * {@code --backup.password}. When nothing answers there, this command opens the data directory's database
 * itself, which H2 refuses while another process has it open.
 */
@Component
class BackupCommandLine implements ApplicationRunner {

    /** H2's error code for a database another process has open. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final Pattern FILENAME = Pattern.compile("filename=\"?([A-Za-z0-9._-]+)\"?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                                                    .withZone(ZoneOffset.UTC);

    private final ConfigurableApplicationContext context;
    private final Settings settings;
    private final PrintStream out = System.out;

    /** @param keyDirectory where the citizens' key files are, taken along when the backup is taken directly */
    record Settings(String databaseUrl, String databaseUser, String databasePassword, String ledgerUrl,
                    String user, String password, Path keyDirectory) {
    }

    BackupCommandLine(ConfigurableApplicationContext context,
                      @Value("${" + BackupMode.DATABASE_URL + ":}") String databaseUrl,
                      @Value("${ledger.backup.database-user:}") String databaseUser,
                      @Value("${ledger.backup.database-password:}") String databasePassword,
                      @Value("${backup.ledger-url:http://127.0.0.1:${PORT:8080}}") String ledgerUrl,
                      @Value("${backup.user:admin}") String user,
                      @Value("${backup.password:${LEDGER_BACKUP_PASSWORD:}}") String password,
                      @Value("${ledger.data-dir:./data}") String dataDir,
                      @Value("${ledger.privacy.key-directory:}") String keyDirectory) {
        this.context = context;
        this.settings = new Settings(databaseUrl, databaseUser, databasePassword, ledgerUrl, user, password,
                                     CitizenKeyFiles.directory(dataDir, keyDirectory));
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!args.containsOption(BackupMode.OPTION)) {
            return;
        }
        int status = run(Path.of(args.getOptionValues(BackupMode.OPTION).get(0)), settings, out);
        System.exit(SpringApplication.exit(context, () -> status));
    }

    /** Backs up into the directory; 0 on success, 1 on failure, 2 when the database is not the embedded one. */
    static int run(Path directory, Settings settings, PrintStream out) {
        try {
            Files.createDirectories(directory);
            if (!settings.databaseUrl().startsWith("jdbc:h2:file:")) {
                out.println("backup: the ledger's database is " + settings.databaseUrl().replaceAll("\\?.*", "")
                                    + ", not the embedded H2 file: use pg_dump / pg_basebackup (docs/operations.md)");
                return 2;
            }
            long started = System.nanoTime();
            Path file;
            String how;
            try {
                file = fromRunningLedger(directory, settings);
                how = "taken by the running ledger at " + settings.ledgerUrl();
            } catch (ConnectException noLedgerAnswers) {
                file = directory.resolve("ledger-" + STAMP.format(Instant.now()) + ".zip");
                try (Connection connection = DriverManager.getConnection(settings.databaseUrl() + ";IFEXISTS=TRUE",
                                                                         settings.databaseUser(),
                                                                         settings.databasePassword())) {
                    Backups.backup(connection, file, settings.keyDirectory());
                } catch (SQLException e) {
                    if (e.getErrorCode() == DATABASE_ALREADY_OPEN) {
                        throw new IOException("a ledger has the database open but does not answer at "
                                                      + settings.ledgerUrl() + ": name it with --backup.ledger-url", e);
                    }
                    throw e;
                }
                how = "no ledger answering at " + settings.ledgerUrl() + ": taken directly from the data directory";
            }
            out.printf("backup: %s (%,d bytes) in %,d ms, %s%n", file, Files.size(file),
                       (System.nanoTime() - started) / 1_000_000, how);
            return 0;
        } catch (Exception e) {
            out.println("backup FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static Path fromRunningLedger(Path directory, Settings settings) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        String credentials = Base64.getEncoder().encodeToString(
                (settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.ledgerUrl() + "/api/admin/backups"))
                                         .header("Authorization", "Basic " + credentials)
                                         .header("Accept", "application/zip, application/problem+json")
                                         .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        // A long backup is answered 202 with the Location to ask again until the zip is ready.
        while (response.statusCode() == 202) {
            response.body().close();
            String location = response.headers().firstValue("Location")
                                      .orElseThrow(() -> new IOException("202 without a Location"));
            Thread.sleep(2000);
            response = client.send(HttpRequest.newBuilder(URI.create(settings.ledgerUrl()).resolve(location))
                                              .header("Authorization", "Basic " + credentials)
                                              .header("Accept", "application/zip, application/problem+json")
                                              .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the ledger answered " + response.statusCode() + ": "
                                              + new String(body.readNBytes(2000), StandardCharsets.UTF_8));
            }
            String disposition = response.headers().firstValue("Content-Disposition").orElse("");
            Matcher name = FILENAME.matcher(disposition);
            Path file = directory.resolve(name.find() ? name.group(1)
                                                  : "ledger-" + STAMP.format(Instant.now()) + ".zip");
            Path partial = directory.resolve(file.getFileName() + ".part");
            Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
