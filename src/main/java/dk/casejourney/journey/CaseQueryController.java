package dk.casejourney.journey;

import dk.casejourney.common.FieldError;
import dk.casejourney.common.Problems;
import dk.casejourney.journey.api.CaseHistory;
import dk.casejourney.journey.api.CaseList;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.FindCaseEntryQuery;
import dk.casejourney.journey.api.FindCaseHistoryQuery;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.journey.api.FindCasesQuery;
import dk.casejourney.journey.api.HistoryEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dk.casejourney.journey.CaseCommandController.CASE_ID;

/** Reading cases back: where a case is now, its history, one entry, and search. */
@RestController
@RequestMapping(path = "/api/cases", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Cases", description = "Where a case is now, its history, and search")
class CaseQueryController {

    /** Which entry types each write collection records, so an entry is only found under its own kind. */
    private static final Map<String, String> ENTRY_TYPES = Map.of(
            "contacts", "ContactRecorded", "handovers", "CaseHandedOver",
            "information-requests", "InformationRequested", "information", "InformationProvided",
            "work", "WorkRecorded", "decisions", "DecisionRecorded", "resolution", "CaseResolved",
            "reopenings", "CaseReopened", "satisfaction", "SatisfactionRecorded", "corrections", "EntryCorrected");

    private final QueryGateway queries;

    CaseQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/{caseId}")
    @Operation(summary = "Where the case is now, what it waits for, and what the citizen already provided")
    ResponseEntity<?> find(@PathVariable @Pattern(regexp = CASE_ID) String caseId) {
        return found(queries.query(new FindCaseQuery(caseId), ResponseTypes.optionalInstanceOf(CaseView.class))
                            .join(), caseId);
    }

    @GetMapping("/{caseId}/history")
    @Operation(summary = "The case's timeline in occurredAt order, with corrections against what they correct")
    ResponseEntity<?> history(@PathVariable @Pattern(regexp = CASE_ID) String caseId) {
        return found(queries.query(new FindCaseHistoryQuery(caseId),
                                   ResponseTypes.optionalInstanceOf(CaseHistory.class)).join(), caseId);
    }

    @GetMapping("/{caseId}/{collection:contacts|handovers|information-requests|information|work|decisions|resolution|reopenings|satisfaction|corrections}/{entryId}")
    @Operation(summary = "One recorded entry, as recorded and as corrected")
    ResponseEntity<?> entry(@PathVariable @Pattern(regexp = CASE_ID) String caseId, @PathVariable String collection,
                            @PathVariable @Pattern(regexp = CASE_ID) String entryId) {
        Optional<HistoryEntry> entry = queries.query(new FindCaseEntryQuery(caseId, entryId),
                                                     ResponseTypes.optionalInstanceOf(HistoryEntry.class))
                                              .join()
                                              .filter(found -> found.type().equals(ENTRY_TYPES.get(collection)));
        return entry.<ResponseEntity<?>>map(ResponseEntity::ok)
                    .orElseGet(() -> notFound("entryId", "no " + collection + " entry " + entryId + " on case " + caseId));
    }

    @GetMapping
    @Operation(summary = "Find cases by citizen (CPR number), holding unit, status and (imported cases) sourceRef")
    CaseList search(@RequestParam(required = false)
                    @Pattern(regexp = "\\d{6}-?\\d{4}", message = "must be 10 digits") String cpr,
                    @RequestParam(required = false) String unit,
                    @RequestParam(required = false) CaseStatus status,
                    @RequestParam(required = false)
                    @Size(min = 1, max = 200, message = "must be 1-200 characters") String sourceRef,
                    @RequestParam(defaultValue = "0") @Min(value = 0, message = "must not be negative") int offset,
                    @RequestParam(defaultValue = "50") @Min(value = 1, message = "must be from 1 to 500")
                    @Max(value = 500, message = "must be from 1 to 500") int limit) {
        return queries.query(new FindCasesQuery(cpr, unit, status, sourceRef, offset, limit), CaseList.class).join();
    }

    private static ResponseEntity<?> found(Optional<?> result, String caseId) {
        return result.<ResponseEntity<?>>map(ResponseEntity::ok)
                     .orElseGet(() -> notFound("caseId", "no case " + caseId));
    }

    private static ResponseEntity<?> notFound(String field, String reason) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                             .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not Found", reason,
                                               List.of(new FieldError(field, reason))));
    }
}
