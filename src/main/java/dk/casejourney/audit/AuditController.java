package dk.casejourney.audit;

import dk.casejourney.audit.api.AccessLog;
import dk.casejourney.audit.api.AsOfBasis;
import dk.casejourney.audit.api.CaseAsOf;
import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.FindAccessLogQuery;
import dk.casejourney.audit.api.FindCaseAsOfQuery;
import dk.casejourney.audit.api.VerifyCaseChainQuery;
import dk.casejourney.common.FieldError;
import dk.casejourney.common.Problems;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.CprNumber;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The auditor's reads: a case as of a moment, its hash chain, and who looked at a citizen's cases. */
@RestController
@Validated
@RequestMapping(path = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Audit", description = "Point-in-time replay, tamper evidence and the access log")
class AuditController {

    private static final String CASE_ID = "[A-Za-z0-9._-]{1,64}";
    static final Instant EARLIEST_AS_OF = Instant.parse("1900-01-01T00:00:00Z");
    /** A moment ahead shows what is known now; bounded like the evaluation's periods (ten years ahead). */
    static final Duration AS_OF_FUTURE_TOLERANCE = Duration.ofDays(3653);
    private final QueryGateway queries;

    AuditController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/cases/{caseId}")
    @Operation(summary = "The case as it stood at a moment, replayed from the ledger: as recorded by then "
            + "(basis=recorded) or as having happened by then, known today (basis=occurred)")
    ResponseEntity<?> asOf(@PathVariable @Pattern(regexp = CASE_ID) String caseId,
                           @RequestParam String asOf,
                           @RequestParam(defaultValue = "recorded") String basis) {
        FindCaseAsOfQuery query = new FindCaseAsOfQuery(caseId, instant(asOf), basis(basis));
        Optional<CaseAsOf> found = queries.query(query, ResponseTypes.optionalInstanceOf(CaseAsOf.class)).join();
        return found.<ResponseEntity<?>>map(ResponseEntity::ok)
                    .orElseGet(() -> notFound(List.of(
                            new FieldError("caseId", "no case " + caseId + " as of " + query.asOf()),
                            new FieldError("asOf", "is before the case was " + (query.basis() == AsOfBasis.RECORDED
                                    ? "recorded" : "opened") + ", or there is no such case"))));
    }

    @GetMapping("/cases/{caseId}/verification")
    @Operation(summary = "Recompute the case's hash chain: valid, or the first broken link and why")
    ResponseEntity<?> verification(@PathVariable @Pattern(regexp = CASE_ID) String caseId) {
        Optional<ChainVerification> found = queries.query(new VerifyCaseChainQuery(caseId),
                                                          ResponseTypes.optionalInstanceOf(ChainVerification.class))
                                                   .join();
        return found.<ResponseEntity<?>>map(ResponseEntity::ok)
                    .orElseGet(() -> notFound(List.of(new FieldError("caseId", "no case " + caseId))));
    }

    @GetMapping("/access-log")
    @Operation(summary = "Who looked at a citizen's cases and when")
    AccessLog accessLog(@RequestParam @Pattern(regexp = "\\d{6}-?\\d{4}", message = "must be 10 digits") String cpr) {
        return queries.query(new FindAccessLogQuery(cpr(cpr)), AccessLog.class).join();
    }

    /**
     * A moment inside the ledger's window: no business time lies before {@link #EARLIEST_AS_OF}, and a moment
     * after now shows nothing more than now; beyond the window the replay's calendar arithmetic (an open case's
     * business time runs to asOf) is unbounded, inside it O(days).
     */
    private static Instant instant(String text) {
        Instant asOf;
        try {
            asOf = OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw RuleViolation.invalid("asOf", "must be an ISO-8601 time with offset, e.g. 2024-03-05T12:00:00Z");
        }
        Instant latest = Instant.now().plus(AS_OF_FUTURE_TOLERANCE);
        if (asOf.isBefore(EARLIEST_AS_OF) || asOf.isAfter(latest)) {
            throw RuleViolation.invalid("asOf", "must be from " + EARLIEST_AS_OF + " to ten years from now");
        }
        return asOf;
    }

    /** A citizen's CPR number: ten digits forming a date, checked here so a malformed one is refused, not failed. */
    private static String cpr(String text) {
        if (!CprNumber.isValid(text)) {
            throw RuleViolation.invalid("cpr", "must be 10 digits (DDMMYYXXXX or DDMMYY-XXXX) whose first six form a date");
        }
        return text;
    }

    private static AsOfBasis basis(String text) {
        try {
            return AsOfBasis.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RuleViolation.invalid("basis", "must be recorded or occurred");
        }
    }

    private static ResponseEntity<?> notFound(List<FieldError> errors) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                             .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not Found",
                                               errors.get(0).reason(), errors));
    }
}
