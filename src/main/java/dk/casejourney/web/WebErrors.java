package dk.casejourney.web;

import dk.casejourney.common.RuleViolation;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.commandhandling.CommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import java.util.concurrent.CompletionException;

/**
 * Refusals and failures of the pages as pages, not problem+json: the reader gets the reason in words and a way
 * back. Like the API, nothing that names the rejected value, and only the exception type in the log.
 */
@ControllerAdvice(basePackageClasses = WebErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebErrors {

    private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

    @ExceptionHandler(PageNotFound.class)
    String notFound(PageNotFound exception, Model model, HttpServletResponse response) {
        return page(HttpStatus.NOT_FOUND, exception.getMessage(), null, model, response);
    }

    @ExceptionHandler(RuleViolation.class)
    String refused(RuleViolation violation, Model model, HttpServletResponse response) {
        return page(HttpStatus.BAD_REQUEST, null, violation.field() + ": " + violation.reason(), model, response);
    }

    @ExceptionHandler({CommandExecutionException.class, CompletionException.class})
    String commandOrQueryFailed(Exception exception, Model model, HttpServletResponse response) {
        Throwable cause = exception instanceof CompletionException && exception.getCause() != null
                ? exception.getCause() : exception;
        if (cause instanceof RuleViolation violation) {
            return refused(violation, model, response);
        }
        if (cause instanceof CommandExecutionException failed) {
            var details = failed.getDetails().filter(RuleViolation.Details.class::isInstance)
                                .map(RuleViolation.Details.class::cast);
            if (details.isPresent()) {
                HttpStatus status = details.get().kind() == RuleViolation.Kind.NOT_FOUND ? HttpStatus.NOT_FOUND
                                                                                        : HttpStatus.CONFLICT;
                return page(status, null, details.get().field() + ": " + details.get().reason(), model, response);
            }
        }
        return unexpected(exception, model, response);
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception exception, Model model, HttpServletResponse response) {
        if (exception instanceof ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
            // Spring MVC's own refusals (wrong method, missing parameter, …) keep their status.
            HttpStatus status = HttpStatus.valueOf(framework.getStatusCode().value());
            return page(status, status == HttpStatus.NOT_FOUND ? "error.notFound" : "error.badRequest", null, model,
                        response);
        }
        Throwable cause = exception.getCause();
        log.error("page failed with {}{}", exception.getClass().getName(),
                  cause == null ? "" : " caused by " + cause.getClass().getName());
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "error.internal", null, model, response);
    }

    private static String page(HttpStatus status, String messageKey, String reason, Model model,
                               HttpServletResponse response) {
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("messageKey", messageKey);
        model.addAttribute("reason", reason);
        return "web/error";
    }
}
