package dk.casejourney.operations;

import dk.casejourney.common.Identifiers;
import dk.casejourney.privacy.api.CitizenKeyFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.LedgerApplication;
import dk.casejourney.ReadModelsAtHead;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.VerifyLedgerQuery;
import dk.casejourney.evaluation.api.FindJourneyQuery;
import dk.casejourney.evaluation.api.Journey;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backup taken with {@code --backup=DIR} while the embedded ledger runs and writes, restored into a fresh
 * data directory: the product starts on it with every case acknowledged before the backup began, the hash
 * chains verify and the read models catch up to the same views and figures. Then the same command against the
 * stopped ledger's data directory, which it opens itself.
 */
class BackupRestoreTest {

    private static final Instant T0 = Instant.parse("2024-04-02T07:00:00Z");

    @TempDir
    Path base;

    @Test
    void givenARunningLedgerThatWrites_whenBackedUpAndRestored_thenEveryAcknowledgedCaseAndFigureIsBack()
            throws Exception {
        Path dataDir = base.resolve("data");
        Path backups = base.resolve("backups");
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        Map<String, JsonNode> originalViews = new LinkedHashMap<>();
        Map<String, JsonNode> originalJourneys = new LinkedHashMap<>();
        List<String> beforeBackup;
        BackupCommandLine.Settings settings;
        Path backup;
        try (ConfigurableApplicationContext ledger = start(dataDir)) {
            CommandGateway commands = ledger.getBean(CommandGateway.class);
            for (int i = 0; i < 20; i++) {
                acknowledged.add(recordCase(commands, i));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                int i = 1000;
                while (writing.get()) {
                    acknowledged.add(recordCase(commands, i++));
                }
            });
            writer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 30);

            beforeBackup = List.copyOf(acknowledged);
            String port = ledger.getEnvironment().getProperty("local.server.port");
            settings = new BackupCommandLine.Settings(ledger.getEnvironment().getProperty("spring.datasource.url"),
                                                      "sa", "", "http://127.0.0.1:" + port, "admin", "admin",
                                                      CitizenKeyFiles.directory(ledger.getEnvironment().getProperty("ledger.data-dir"), null));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int status = BackupCommandLine.run(backups, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
            String output = printed.toString(StandardCharsets.UTF_8);
            System.out.print(output);
            int writtenDuringBackup = acknowledged.size() - beforeBackup.size();
            writing.set(false);
            writer.join();

            assertThat(status).as(output).isZero();
            assertThat(output).contains("taken by the running ledger");
            assertThat(writtenDuringBackup).as("cases recorded while the backup ran").isPositive();
            try (Stream<Path> files = Files.list(backups)) {
                backup = files.filter(file -> file.toString().endsWith(".zip")).findFirst().orElseThrow();
            }
            QueryGateway queries = ledger.getBean(QueryGateway.class);
            ReadModelsAtHead.await(queries, Duration.ofSeconds(120));
            ObjectMapper json = ledger.getBean(ObjectMapper.class);
            for (String caseId : beforeBackup) {
                originalViews.put(caseId, json.valueToTree(view(queries, caseId).orElseThrow()));
                originalJourneys.put(caseId, withoutAsOf(json.valueToTree(journey(queries, caseId).orElseThrow())));
            }
        }

        Path restored = base.resolve("restored");
        unzip(backup, restored);
        try (ConfigurableApplicationContext ledger = start(restored)) {
            QueryGateway queries = ledger.getBean(QueryGateway.class);
            ReadModelsAtHead.await(queries, Duration.ofSeconds(120));
            ObjectMapper json = ledger.getBean(ObjectMapper.class);
            for (String caseId : beforeBackup) {
                Optional<CaseView> view = view(queries, caseId);
                assertThat(view).as("case %s, acknowledged before the backup", caseId).isPresent();
                assertThat((JsonNode) json.valueToTree(view.get())).isEqualTo(originalViews.get(caseId));
                assertThat(withoutAsOf(json.valueToTree(journey(queries, caseId).orElseThrow())))
                        .isEqualTo(originalJourneys.get(caseId));
            }
            LedgerVerification verification = queries.query(new VerifyLedgerQuery(), LedgerVerification.class).join();
            assertThat(verification.valid()).as("%s", verification).isTrue();
            assertThat(verification.casesChecked()).isGreaterThanOrEqualTo(beforeBackup.size());
        }

        // With no ledger running, the command opens the data directory itself.
        Path offline = base.resolve("offline-backups");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status = BackupCommandLine.run(offline, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(status).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("taken directly from the data directory");
        try (Stream<Path> files = Files.list(offline)) {
            assertThat(files.filter(file -> file.toString().endsWith(".zip")).toList()).hasSize(1);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off",
                     "--logging.level.root=WARN", "--ledger.operations.backup-work-dir=" + dataDir.resolveSibling("work"));
    }

    /** A whole case: opened, one contact, resolved; acknowledged once the last command returned. */
    private static String recordCase(CommandGateway commands, int n) {
        String caseId = Identifiers.random();
        Instant at = T0.plus(Duration.ofMinutes(n));
        commands.sendAndWait(new OpenCaseCommand(caseId, caseId + "-open", "0101801234", CitizenGroup.ELDERLY,
                                                 ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "contact-center",
                                                 at));
        commands.sendAndWait(new RecordContactCommand(caseId, caseId + "-c1", Channel.PHONE, Direction.INBOUND,
                                                      "contact-center", null, ContactPurpose.QUESTION, null, at,
                                                      at.plus(Duration.ofMinutes(4))));
        commands.sendAndWait(new ResolveCaseCommand(caseId, caseId + "-r", "contact-center",
                                                    at.plus(Duration.ofMinutes(5))));
        return caseId;
    }

    private static Optional<CaseView> view(QueryGateway queries, String caseId) {
        return queries.query(new FindCaseQuery(caseId), ResponseTypes.optionalInstanceOf(CaseView.class)).join();
    }

    private static Optional<Journey> journey(QueryGateway queries, String caseId) {
        return queries.query(new FindJourneyQuery(caseId), ResponseTypes.optionalInstanceOf(Journey.class)).join();
    }

    /** A resolved case's figures do not depend on when they are computed; the moment of computing does. */
    private static JsonNode withoutAsOf(JsonNode journey) {
        ((ObjectNode) journey).remove("asOf");
        return journey;
    }

    private static void unzip(Path zip, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path target = directory.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(directory)).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(entries, target);
                names.add(entry.getName());
            }
        }
        assertThat(names).contains("ledger.mv.db");
        // The citizens' keys live beside the database: without them every restored citizen reads as erased.
        assertThat(names).anyMatch(name -> name.startsWith("citizen-keys/") && name.endsWith(".key"));
    }
}
