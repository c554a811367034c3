package dk.casejourney.journey;

import dk.casejourney.common.Recording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordSatisfactionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ReopenCaseCommand;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.util.function.Function;

import static dk.casejourney.common.Recording.IDEMPOTENCY_KEY_HEADER;

/**
 * Recording what happens on a case. Each write becomes one command; the answer names the recorded entry.
 * A retried write with the same Idempotency-Key answers the first entry again and records nothing.
 */
@RestController
@RequestMapping(path = "/api/cases", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Recording", description = "Record contacts, handovers, information, work and decisions on a case")
class CaseCommandController {

    static final String CASE_ID = "[A-Za-z0-9._-]{1,64}";
    private final CommandGateway commands;
    private final Recording recording;

    CaseCommandController(CommandGateway commands, Recording recording) {
        this.commands = commands;
        this.recording = recording;
    }

    @PostMapping
    @Operation(summary = "Open a case for a citizen")
    ResponseEntity<CaseRequests.Recorded> open(@Valid @RequestBody CaseRequests.OpenCase body,
                                               @Parameter(description = "Retries with the same key record nothing twice")
                                               @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                               Principal principal) {
        Recording.Request request = recording.request("cases", key, body, principal);
        String caseId = request.newId("case");
        String entryId = send(request, new OpenCaseCommand(caseId, request.newId("entry"), body.cpr(),
                                                           body.citizenGroup(), body.serviceArea(), body.municipality(),
                                                           body.channel(), body.unit(), body.occurredAt()));
        URI location = URI.create("/api/cases/" + caseId);
        return ResponseEntity.created(location).body(new CaseRequests.Recorded(caseId, entryId, location.toString()));
    }

    @PostMapping("/{caseId}/contacts")
    @Operation(summary = "Record a contact with the citizen")
    ResponseEntity<CaseRequests.Recorded> contact(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                  @Valid @RequestBody CaseRequests.RecordContact body,
                                                  @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                  Principal principal) {
        return record(caseId, "contacts", key, body, principal, entryId -> new RecordContactCommand(
                caseId, entryId, body.channel(), body.direction(), body.unit(), body.staffId(), body.purpose(),
                body.queuedAt(), body.startedAt(), body.endedAt()));
    }

    @PostMapping("/{caseId}/handovers")
    @Operation(summary = "Hand the case over from the unit that holds it to another unit")
    ResponseEntity<CaseRequests.Recorded> handOver(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                   @Valid @RequestBody CaseRequests.HandOver body,
                                                   @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                   Principal principal) {
        return record(caseId, "handovers", key, body, principal, entryId -> new HandOverCaseCommand(
                caseId, entryId, body.fromUnit(), body.toUnit(), body.reason(), body.note(), body.occurredAt()));
    }

    @PostMapping("/{caseId}/information-requests")
    @Operation(summary = "Ask the citizen for a piece of information")
    ResponseEntity<CaseRequests.Recorded> requestInformation(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                             @Valid @RequestBody CaseRequests.RequestInformation body,
                                                             @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                             Principal principal) {
        return record(caseId, "information-requests", key, body, principal, entryId -> new RequestInformationCommand(
                caseId, entryId, body.informationType(), body.dueDate(), body.unit(), body.occurredAt()));
    }

    @PostMapping("/{caseId}/information")
    @Operation(summary = "Record information the citizen provided, asked for or not")
    ResponseEntity<CaseRequests.Recorded> provideInformation(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                             @Valid @RequestBody CaseRequests.ProvideInformation body,
                                                             @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                             Principal principal) {
        return record(caseId, "information", key, body, principal, entryId -> new ProvideInformationCommand(
                caseId, entryId, body.informationType(), body.channel(), body.unit(), body.answersRequestId(),
                body.occurredAt()));
    }

    @PostMapping("/{caseId}/work")
    @Operation(summary = "Record work on the case, e.g. in a back office")
    ResponseEntity<CaseRequests.Recorded> work(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                               @Valid @RequestBody CaseRequests.RecordWork body,
                                               @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                               Principal principal) {
        return record(caseId, "work", key, body, principal, entryId -> new RecordWorkCommand(
                caseId, entryId, body.unit(), body.staffId(), body.activity(), body.startedAt(), body.endedAt()));
    }

    @PostMapping("/{caseId}/decisions")
    @Operation(summary = "Record a decision")
    ResponseEntity<CaseRequests.Recorded> decision(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                   @Valid @RequestBody CaseRequests.RecordDecision body,
                                                   @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                   Principal principal) {
        return record(caseId, "decisions", key, body, principal, entryId -> new RecordDecisionCommand(
                caseId, entryId, body.outcome(), body.unit(), body.occurredAt()));
    }

    @PostMapping("/{caseId}/resolution")
    @Operation(summary = "Resolve the case")
    ResponseEntity<CaseRequests.Recorded> resolve(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                  @Valid @RequestBody CaseRequests.Resolve body,
                                                  @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                  Principal principal) {
        return record(caseId, "resolution", key, body, principal, entryId -> new ResolveCaseCommand(
                caseId, entryId, body.unit(), body.occurredAt()));
    }

    @PostMapping("/{caseId}/reopenings")
    @Operation(summary = "Reopen a resolved case (complaint, appeal, new information)")
    ResponseEntity<CaseRequests.Recorded> reopen(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                 @Valid @RequestBody CaseRequests.Reopen body,
                                                 @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                 Principal principal) {
        return record(caseId, "reopenings", key, body, principal, entryId -> new ReopenCaseCommand(
                caseId, entryId, body.reason(), body.unit(), body.occurredAt()));
    }

    @PostMapping("/{caseId}/satisfaction")
    @Operation(summary = "Record a satisfaction score from 1 to 5")
    ResponseEntity<CaseRequests.Recorded> satisfaction(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                       @Valid @RequestBody CaseRequests.RecordSatisfaction body,
                                                       @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                       Principal principal) {
        return record(caseId, "satisfaction", key, body, principal, entryId -> new RecordSatisfactionCommand(
                caseId, entryId, body.score(), body.channel(), body.occurredAt()));
    }

    @PostMapping("/{caseId}/corrections")
    @Operation(summary = "Correct an earlier entry, or declare it recorded in error (voidEntry)")
    ResponseEntity<CaseRequests.Recorded> correct(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                                                  @Valid @RequestBody CaseRequests.Correct body,
                                                  @RequestHeader(name = IDEMPOTENCY_KEY_HEADER, required = false) String key,
                                                  Principal principal) {
        return record(caseId, "corrections", key, body, principal, entryId -> new CorrectEntryCommand(
                caseId, entryId, body.correctedEntryId(), body.reason(), body.changes(),
                Boolean.TRUE.equals(body.voidEntry()), body.occurredAt()));
    }

    private ResponseEntity<CaseRequests.Recorded> record(String caseId, String collection, String key, Object body,
                                                         Principal principal,
                                                         Function<String, CaseCommand> command) {
        Recording.Request request = recording.request("cases/" + caseId + "/" + collection, key, body, principal);
        String entryId = send(request, command.apply(request.newId("entry")));
        URI location = URI.create("/api/cases/" + caseId + "/" + collection + "/" + entryId);
        return ResponseEntity.created(location).body(new CaseRequests.Recorded(caseId, entryId, location.toString()));
    }

    private String send(Recording.Request request, CaseCommand command) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(request.metaData()));
    }
}
