package dk.casejourney.common;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * What the servlet container forwards to {@code /error} (a request the security firewall rejected, an error
 * sent from a filter) answers problem+json like every other refusal, whatever the Accept header, and never
 * echoes the request (which may hold a CPR number). Replaces Spring Boot's default error controller.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping(path = "${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail problem = status.is5xxServerError()
                ? Problems.of(status, "internal-error", "Internal error",
                              "the request could not be completed; nothing was recorded unless a later read shows it",
                              List.of())
                : Problems.of(status, "malformed-request", status.getReasonPhrase(),
                              "request: could not be accepted (" + status.getReasonPhrase() + ")",
                              List.of(new FieldError("request", "could not be accepted (" + status.getReasonPhrase()
                                      + ")")));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
