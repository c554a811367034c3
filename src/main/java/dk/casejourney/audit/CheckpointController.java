package dk.casejourney.audit;

import dk.casejourney.audit.api.Checkpoint;
import dk.casejourney.audit.api.FindCheckpointsQuery;
import dk.casejourney.audit.api.TakeCheckpointCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Export of the signed checkpoints (ADMIN, AUDITOR) and a checkpoint on demand (ADMIN). */
@RestController
@RequestMapping(path = "/api/admin/ledger/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Checkpoints", description = "Signed statements of the ledger's head, to keep outside the ledger")
class CheckpointController {

    private final QueryGateway queries;
    private final CommandGateway commands;

    CheckpointController(QueryGateway queries, CommandGateway commands) {
        this.queries = queries;
        this.commands = commands;
    }

    @GetMapping
    @Operation(summary = "Every signed checkpoint, oldest first, with the public key that verifies it")
    List<Checkpoint> checkpoints() {
        return queries.query(new FindCheckpointsQuery(), ResponseTypes.multipleInstancesOf(Checkpoint.class)).join();
    }

    @PostMapping
    @Operation(summary = "Sign a checkpoint of the ledger's head now")
    ResponseEntity<Checkpoint> take() {
        Checkpoint checkpoint = commands.sendAndWait(new TakeCheckpointCommand());
        return ResponseEntity.status(HttpStatus.CREATED).body(checkpoint);
    }
}
