package dk.casejourney.operations;

import dk.casejourney.common.FieldError;
import dk.casejourney.common.Identifiers;
import dk.casejourney.common.Problems;
import dk.casejourney.operations.api.Backup;
import dk.casejourney.operations.api.FindBackupQuery;
import dk.casejourney.operations.api.TakeBackupCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code POST /api/admin/backups}: the running ledger backs up its embedded database and answers the zip (200), or,
 * when it takes longer, 202 with the backup's {@code Location} to ask again; the work file is deleted once sent.
 * Only ADMIN: the zip holds every citizen's encrypted data and keys. {@code java -jar … --backup=DIR} uses this.
 */
@RestController
@RequestMapping("/api/admin/backups")
@Tag(name = "Administration")
class BackupController {

    static final String STARTED_AT = "Ledger-Backup-Started-At";
    static final String HEAD = "Ledger-Backup-Head";

    private final CommandGateway commands;
    private final QueryGateway queries;

    BackupController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @PostMapping(produces = {"application/zip", MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(summary = "Take an online backup of the embedded database (H2) while writes go on: the zip, or 202 "
            + "with the Location to fetch it from")
    ResponseEntity<?> backup() throws IOException {
        return answer(commands.sendAndWait(new TakeBackupCommand(Identifiers.random())));
    }

    @GetMapping(path = "/{id}", produces = {"application/zip", MediaType.APPLICATION_JSON_VALUE,
            MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(summary = "A backup of this instance: 202 while it runs, then the zip (once)")
    ResponseEntity<?> backup(@PathVariable String id, HttpServletRequest request) throws IOException {
        if (!request.isUserInRole("ADMIN")) {
            return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "only ADMIN may fetch a backup");
        }
        Backup backup = queries.query(new FindBackupQuery(id), ResponseTypes.optionalInstanceOf(Backup.class))
                               .join().orElse(null);
        if (backup == null) {
            return problem(HttpStatus.NOT_FOUND, "not-found", "Not Found", "no backup " + id + " on this instance");
        }
        return answer(backup);
    }

    private static ResponseEntity<?> answer(Backup backup) throws IOException {
        if (!backup.done()) {
            // No body: the zip is what the caller asked for; the Location says where it will be.
            return ResponseEntity.accepted().location(URI.create("/api/admin/backups/" + backup.backupId()))
                                 .header(STARTED_AT, backup.startedAt().toString())
                                 .header(HEAD, Long.toString(backup.headPosition())).build();
        }
        if (backup.error() != null) {
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, "backup-failed", "The backup failed", backup.error());
        }
        Path file = Path.of(backup.file());
        InputStreamResource body;
        try {
            body = new InputStreamResource(
                    Files.newInputStream(file, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE));
        } catch (NoSuchFileException alreadySent) {
            return problem(HttpStatus.GONE, "gone", "Gone", "backup " + backup.backupId() + " was already sent");
        }
        return ResponseEntity.ok()
                             .contentType(MediaType.parseMediaType("application/zip"))
                             .contentLength(backup.bytes())
                             .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                     .filename(file.getFileName().toString()).build().toString())
                             .header(STARTED_AT, backup.startedAt().toString())
                             .header(HEAD, Long.toString(backup.headPosition()))
                             .body(body);
    }

    private static ResponseEntity<?> problem(HttpStatus status, String type, String title, String reason) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                             .body(Problems.of(status, type, title, reason, List.of(new FieldError("id", reason))));
    }
}
