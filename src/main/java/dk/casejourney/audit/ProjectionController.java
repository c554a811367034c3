package dk.casejourney.audit;

import dk.casejourney.audit.api.DeadLetterList;
import dk.casejourney.audit.api.DeadLetterRetry;
import dk.casejourney.audit.api.FindDeadLettersQuery;
import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.RetryDeadLettersCommand;
import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.audit.api.VerifyLedgerQuery;
import dk.casejourney.common.FieldError;
import dk.casejourney.common.Identifiers;
import dk.casejourney.common.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/** Administration of the read models and the ledger as a whole: positions, rebuilds, verification. */
@RestController
@RequestMapping(path = "/api/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Administration", description = "Projection positions, dead letters and rebuilds; ledger-wide verification")
class ProjectionController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    ProjectionController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @GetMapping("/projections")
    @Operation(summary = "Every projection with its segments, position, lag behind the ledger and state")
    ProjectionList projections() {
        return queries.query(new FindProjectionsQuery(), ProjectionList.class).join();
    }

    @PostMapping("/projections/{name}/rebuilds")
    @Operation(summary = "Rebuild a projection from the ledger; writes continue meanwhile")
    ResponseEntity<?> rebuild(@PathVariable String name) {
        String id = commands.sendAndWait(new StartRebuildCommand(name, Identifiers.random()));
        URI location = URI.create("/api/admin/projections/" + name + "/rebuilds/" + id);
        return ResponseEntity.accepted().location(location).body(find(name, id));
    }

    @GetMapping("/projections/{name}/rebuilds/{id}")
    @Operation(summary = "A rebuild's progress: events done of total, events per second, time left, verification")
    ResponseEntity<?> rebuildProgress(@PathVariable String name, @PathVariable String id) {
        Rebuild rebuild = find(name, id);
        if (rebuild == null) {
            String reason = "no rebuild " + id + " of " + name;
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                                 .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not Found", reason,
                                                   List.of(new FieldError("id", reason))));
        }
        return ResponseEntity.ok(rebuild);
    }

    @GetMapping("/projections/{name}/dead-letters")
    @Operation(summary = "The events a projection parked because it could not handle them, case by case, with the cause")
    ResponseEntity<?> deadLetters(@PathVariable String name,
                                  @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        DeadLetterList list = queries.query(new FindDeadLettersQuery(name, limit),
                                            ResponseTypes.optionalInstanceOf(DeadLetterList.class)).join().orElse(null);
        if (list == null) {
            String reason = "no processing group " + name;
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                                 .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not Found", reason,
                                                   List.of(new FieldError("name", reason))));
        }
        return ResponseEntity.ok(list);
    }

    @PostMapping("/projections/{name}/dead-letters/retries")
    @Operation(summary = "Hand the parked events to the projection again; a case that fails again stays parked")
    DeadLetterRetry retryDeadLetters(@PathVariable String name) {
        return commands.sendAndWait(new RetryDeadLettersCommand(name));
    }

    @GetMapping("/ledger/verification")
    @Operation(summary = "Recompute every case's hash chain")
    LedgerVerification verifyLedger() {
        return queries.query(new VerifyLedgerQuery(), LedgerVerification.class).join();
    }

    private Rebuild find(String name, String id) {
        return queries.query(new FindRebuildQuery(name, id), ResponseTypes.optionalInstanceOf(Rebuild.class))
                      .join().orElse(null);
    }
}
