package dk.casejourney.common;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.List;

/** RFC 9457 problem details with the ledger's own types and an {@code errors} list of field and reason. */
public final class Problems {

    private static final String TYPE_BASE = "https://casejourney.dk/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String type, String title, String detail,
                                   List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        if (errors != null && !errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    public static ProblemDetail invalid(List<FieldError> errors) {
        return of(HttpStatus.BAD_REQUEST, "invalid-request", "The request is invalid",
                  errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).reason()
                                     : errors.size() + " fields are invalid", errors);
    }

    public static ProblemDetail payloadTooLarge(long limit) {
        return of(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "The request body is too large",
                  "the body exceeds " + limit + " bytes", List.of(new FieldError("body", "exceeds " + limit + " bytes")));
    }
}
