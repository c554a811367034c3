package dk.casejourney.evaluation;

import dk.casejourney.common.FieldError;
import dk.casejourney.common.Problems;
import dk.casejourney.evaluation.api.FindJourneyQuery;
import dk.casejourney.evaluation.api.Journey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** A case's journey figures. */
@RestController
@Validated
@Tag(name = "Evaluation", description = "Journey figures and the channel-strategy evaluation")
class JourneyController {

    private static final String CASE_ID = "[A-Za-z0-9._-]{1,64}";
    private final QueryGateway queries;

    JourneyController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping(path = "/api/cases/{caseId}/journey", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every journey figure of the case; an open case's figures run to now")
    ResponseEntity<?> journey(@PathVariable @Pattern(regexp = CASE_ID) String caseId) {
        return queries.query(new FindJourneyQuery(caseId), ResponseTypes.optionalInstanceOf(Journey.class)).join()
                      .<ResponseEntity<?>>map(ResponseEntity::ok)
                      .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(
                              Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not Found", "no case " + caseId,
                                          List.of(new FieldError("caseId", "no case " + caseId)))));
    }
}
