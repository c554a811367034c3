package dk.casejourney.operations;

import dk.casejourney.operations.api.Backup;
import dk.casejourney.operations.api.TakeBackupCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * {@code POST /api/admin/backups}: the running ledger backs up its embedded database and streams the zip; the
 * work file is deleted once sent. {@code java -jar … --backup=DIR} calls this when the ledger is running.
 */
@RestController
@RequestMapping("/api/admin/backups")
@Tag(name = "Administration")
class BackupController {

    static final String STARTED_AT = "Ledger-Backup-Started-At";
    static final String HEAD = "Ledger-Backup-Head";

    private final CommandGateway commands;

    BackupController(CommandGateway commands) {
        this.commands = commands;
    }

    @PostMapping(produces = {"application/zip", MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(summary = "Take an online backup of the embedded database (H2) while writes go on; answers the zip")
    ResponseEntity<InputStreamResource> backup() throws IOException {
        Backup backup = commands.sendAndWait(new TakeBackupCommand(UUID.randomUUID().toString()));
        Path file = Path.of(backup.file());
        InputStreamResource body = new InputStreamResource(
                Files.newInputStream(file, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE));
        return ResponseEntity.ok()
                             .contentType(MediaType.parseMediaType("application/zip"))
                             .contentLength(backup.bytes())
                             .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                     .filename(file.getFileName().toString()).build().toString())
                             .header(STARTED_AT, backup.startedAt().toString())
                             .header(HEAD, Long.toString(backup.headPosition()))
                             .body(body);
    }
}
