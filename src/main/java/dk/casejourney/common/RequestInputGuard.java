package dk.casejourney.common;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The rules every query parameter and path variable of the API keeps, checked once before any controller:
 * a parameter is given at most once (a filter takes one value; a repeated one was silently ignored), is at most
 * {@value #MAX_PARAMETER} characters, holds no control characters, and (except {@code cpr}) no CPR-shaped
 * number, so a CPR number typed into a case id or a filter never reaches the access log or a problem detail.
 */
class RequestInputGuard implements HandlerInterceptor {

    static final int MAX_PARAMETER = 200;
    /** The one parameter that may carry a CPR number: searches by citizen. */
    private static final String CPR = "cpr";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        for (String name : queryParameterNames(request.getQueryString())) {
            String[] values = request.getParameterValues(name);
            if (values == null) {
                continue;
            }
            if (values.length > 1) {
                throw RuleViolation.invalid(name, "is given " + values.length
                        + " times; give it once (a filter takes one value)");
            }
            check(name, values[0], !CPR.equals(name));
        }
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> check(String.valueOf(name), String.valueOf(value), true));
        }
        return true;
    }

    private static void check(String name, String value, boolean refuseCpr) {
        if (value.length() > MAX_PARAMETER) {
            throw RuleViolation.invalid(name, "must be at most " + MAX_PARAMETER + " characters");
        }
        if (refuseCpr) {
            TextRules.check(value, MAX_PARAMETER, false, name);
        } else {
            TextRules.problem(value.replaceAll("\\d", "0"), MAX_PARAMETER, false)
                     .ifPresent(reason -> {
                         throw RuleViolation.invalid(name, reason);
                     });
        }
    }

    /** Names as the client wrote them in the query string (not form fields of a multipart body). */
    private static Set<String> queryParameterNames(String query) {
        Set<String> names = new LinkedHashSet<>();
        if (query == null || query.isEmpty()) {
            return names;
        }
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            try {
                names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                throw RuleViolation.invalid("query", "is not a well-formed query string");
            }
        }
        return names;
    }
}
