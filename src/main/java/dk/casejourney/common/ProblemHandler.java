package dk.casejourney.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every refusal as RFC 9457 problem+json with the field and the reason. Reasons never echo the rejected
 * value, which may be a CPR number.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> commandFailed(CommandExecutionException exception) {
        return exception.getDetails()
                        .filter(RuleViolation.Details.class::isInstance)
                        .map(RuleViolation.Details.class::cast)
                        .map(ProblemHandler::violation)
                        .orElseGet(() -> unexpected(exception));
    }

    @ExceptionHandler(RuleViolation.class)
    ResponseEntity<ProblemDetail> ruleViolated(RuleViolation violation) {
        return violation(violation.details());
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrentWrite(ConcurrencyException exception) {
        return problem(Problems.of(HttpStatus.CONFLICT, "concurrent-write", "The case changed meanwhile",
                                   "another write to the case was recorded at the same moment; retry",
                                   List.of(new FieldError("caseId", "was written concurrently"))));
    }

    /** Method validation of a controller class annotated {@code @Validated}: path variables and parameters. */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolated(ConstraintViolationException exception) {
        List<FieldError> errors = exception.getConstraintViolations().stream()
                .map(violation -> new FieldError(lastNode(violation.getPropertyPath()), violation.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return problem(Problems.invalid(errors.isEmpty() ? List.of(new FieldError("request", "is invalid")) : errors));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> parameterMismatch(MethodArgumentTypeMismatchException exception) {
        return problem(Problems.invalid(List.of(new FieldError(exception.getName(), expected(exception.getRequiredType())))));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldError> errors = exception.getBindingResult().getFieldErrors().stream()
                                           .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                                           .sorted((a, b) -> a.field().compareTo(b.field()))
                                           .toList();
        return asObject(Problems.invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldError> errors = exception.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        ? body.getFieldErrors().stream()
                              .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                        : result.getResolvableErrors().stream()
                                .map(error -> new FieldError(parameterName(result.getMethodParameter()),
                                                             error.getDefaultMessage())))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return asObject(Problems.invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return asObject(Problems.payloadTooLarge(tooLarge.limit()));
            }
        }
        Throwable cause = exception.getCause();
        FieldError error;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            error = new FieldError(path(unknown), "is not a known field");
        } else if (cause instanceof InvalidFormatException format) {
            error = new FieldError(path(format), expected(format.getTargetType()));
        } else if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            error = new FieldError(path(mismatch), expected(mismatch.getTargetType()));
        } else if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            error = new FieldError(path(mapping), "has an invalid value");
        } else if (cause instanceof JsonProcessingException json && json.getLocation() != null) {
            error = new FieldError("body", "is not well-formed JSON (line " + json.getLocation().getLineNr()
                    + ", column " + json.getLocation().getColumnNr() + ")");
        } else {
            error = new FieldError("body", "is missing or not readable as JSON");
        }
        return asObject(Problems.invalid(List.of(error)));
    }

    /**
     * Spring's own refusals (missing parameter, method or media type not supported, unknown path, ...) with the
     * field they concern, as problem+json whatever the client accepts.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(exception, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            if (problem.getProperties() == null || !problem.getProperties().containsKey("errors")) {
                String field = exception instanceof MissingServletRequestParameterException missing
                        ? missing.getParameterName()
                        : exception instanceof MissingRequestHeaderException missing ? missing.getHeaderName()
                        : exception instanceof MissingServletRequestPartException missing ? missing.getRequestPartName()
                        : exception instanceof MaxUploadSizeExceededException ? "file"
                        : exception instanceof HttpMediaTypeNotAcceptableException ? "Accept"
                        : exception instanceof HttpMediaTypeNotSupportedException ? "Content-Type"
                        : exception instanceof HttpRequestMethodNotSupportedException ? "method"
                        : exception instanceof NoResourceFoundException || exception instanceof NoHandlerFoundException
                        ? "path" : "request";
                String reason = problem.getDetail() == null ? "is not accepted" : problem.getDetail();
                problem.setProperty("errors", List.of(new FieldError(field, reason)));
            }
            HttpHeaders problemHeaders = new HttpHeaders();
            problemHeaders.putAll(response.getHeaders());
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return new ResponseEntity<>(problem, problemHeaders, response.getStatusCode());
        }
        return response;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception exception) {
        // The message may hold personal data; only the type is logged, the trace at debug level without it.
        log.error("request failed with {}", exception.getClass().getName());
        return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                                   "the request could not be completed; nothing was recorded unless a later read shows it",
                                   List.of()));
    }

    private static ResponseEntity<ProblemDetail> violation(RuleViolation.Details details) {
        HttpStatus status = switch (details.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case CONFLICT -> HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
        String type = switch (details.kind()) {
            case INVALID -> "invalid-request";
            case CONFLICT -> "conflict-with-case-state";
            case NOT_FOUND -> "caseId".equals(details.field()) ? "unknown-case" : "not-found";
            case UNPROCESSABLE -> "idempotency-key-reused";
        };
        String title = switch (details.kind()) {
            case INVALID -> "The request is invalid";
            case CONFLICT -> "The request conflicts with the case's current state";
            case NOT_FOUND -> "caseId".equals(details.field()) ? "Unknown case" : "Not found";
            case UNPROCESSABLE -> "The Idempotency-Key was used for another request";
        };
        return problem(Problems.of(status, type, title, details.field() + ": " + details.reason(),
                                   List.of(new FieldError(details.field(), details.reason()))));
    }

    private static String path(JsonMappingException exception) {
        return exception.getPath().stream()
                        .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                                                                          : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has an invalid value";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                                             .collect(Collectors.joining(", "));
        }
        if (type == Instant.class) {
            return "must be an ISO-8601 date-time with offset, e.g. 2024-03-01T09:30:00+01:00";
        }
        if (type == LocalDate.class) {
            return "must be an ISO-8601 date, e.g. 2024-03-01";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "must be a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        return "must be a " + type.getSimpleName();
    }

    /** The name the client used: the header or query parameter name, else the Java parameter's. */
    private static String parameterName(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.value().isEmpty()) {
            return header.value();
        }
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.value().isEmpty()) {
            return param.value();
        }
        return parameter.getParameterName();
    }

    private static String lastNode(Path path) {
        String name = "request";
        for (Path.Node node : path) {
            if (node.getName() != null) {
                name = node.getName();
            }
        }
        return name;
    }

    /** Always problem+json, whatever the endpoint produces and whatever the client accepts. */
    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ResponseEntity<Object> asObject(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
