package dk.casejourney.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.common.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * 401 (not signed in, or the credentials were refused) and 403 (signed in, but the role does not allow it)
 * as problem+json like every other refusal. Neither echoes the credentials.
 */
class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ObjectMapper objectMapper;
    private final List<String> challenges;

    /**
     * @param challenges the WWW-Authenticate challenges of the enabled sign-in methods
     */
    ProblemResponses(ObjectMapper objectMapper, List<String> challenges) {
        this.objectMapper = objectMapper;
        this.challenges = List.copyOf(challenges);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException exception) throws IOException {
        if (exception instanceof LockedException) {
            // Too many failed sign-ins: not a challenge to try other credentials, a request to wait.
            Object wait = request.getAttribute(SignInThrottle.RETRY_AFTER);
            long seconds = wait instanceof Duration duration ? Math.max(1, (duration.toMillis() + 999) / 1000) : 1;
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-sign-in-attempts",
                                        "Too many failed sign-ins",
                                        "too many failed sign-ins for this user or from this address; try again in "
                                                + seconds + " s", List.of()));
            return;
        }
        challenges.forEach(challenge -> response.addHeader(HttpHeaders.WWW_AUTHENTICATE, challenge));
        write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Sign-in required",
                                    "sign in with valid credentials to use this resource", List.of()));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException exception) throws IOException {
        write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for your role",
                                    "your roles do not allow " + request.getMethod() + " on this resource",
                                    List.of()));
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
