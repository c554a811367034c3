package dk.casejourney.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing down, per user name and per client address. It listens to Spring Security's
 * authentication events, which every {@code AuthenticationManager} built from the application's beans
 * publishes (HTTP Basic here, a form login page as well), and it refuses through the
 * {@link ThrottledUserDetailsService}: a throttled user is reported locked before the password hash is
 * computed, so a locked-out guess costs no bcrypt time either.
 * <p>
 * After {@code userLimit} failed sign-ins of one name (or {@code addressLimit} from one address) within
 * {@code window}, every further attempt is refused for a delay that doubles with each further failure, from one
 * second up to {@code maxDelay}. A success clears the name's count, not the address's: one valid account must
 * not reset an address that guesses at others. Counts older than {@code window} are forgotten.
 */
final class SignInThrottle {

    static final String RETRY_AFTER = SignInThrottle.class.getName() + ".retryAfter";
    private static final int MAX_TRACKED = 100_000;
    private final int userLimit;
    private final int addressLimit;
    private final Duration window;
    private final Duration maxDelay;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, long firstAtMillis, long lockedUntilMillis) {
    }

    SignInThrottle(int userLimit, int addressLimit, Duration window, Duration maxDelay, Clock clock) {
        this.userLimit = userLimit;
        this.addressLimit = addressLimit;
        this.window = window;
        this.maxDelay = maxDelay;
        this.clock = clock;
    }

    /** How long the user (from the current request's address) must wait, or empty when they may try now. */
    Optional<Duration> retryAfter(String username) {
        long now = clock.millis();
        long until = Math.max(lockedUntil(userKey(username), now),
                              currentAddress().map(address -> lockedUntil(addressKey(address), now)).orElse(0L));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    @EventListener
    void on(AuthenticationFailureBadCredentialsEvent event) {
        failed(event.getAuthentication().getName(), currentAddress().orElse(null));
    }

    @EventListener
    void on(AuthenticationSuccessEvent event) {
        failures.remove(userKey(event.getAuthentication().getName()));
    }

    void failed(String username, String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(entry -> entry.lockedUntilMillis() < now
                    && entry.firstAtMillis() + window.toMillis() < now);
        }
        count(userKey(username), userLimit, now);
        if (address != null) {
            count(addressKey(address), addressLimit, now);
        }
    }

    private void count(String key, int limit, long now) {
        failures.compute(key, (k, earlier) -> {
            Failures current = earlier == null || earlier.firstAtMillis() + window.toMillis() < now
                    && earlier.lockedUntilMillis() < now ? new Failures(0, now, 0) : earlier;
            int count = current.count() + 1;
            long lockedUntil = current.lockedUntilMillis();
            if (count >= limit) {
                int doublings = Math.min(count - limit, 30);
                long delay = Math.min(1000L << doublings, maxDelay.toMillis());
                lockedUntil = Math.max(lockedUntil, now + delay);
            }
            return new Failures(count, current.firstAtMillis(), lockedUntil);
        });
    }

    private long lockedUntil(String key, long now) {
        Failures entry = failures.get(key);
        return entry == null ? 0 : entry.lockedUntilMillis();
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** The client address of the request being authenticated (the security filters run inside it). */
    static Optional<String> currentAddress() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            HttpServletRequest request = servlet.getRequest();
            return Optional.ofNullable(request.getRemoteAddr());
        }
        return Optional.empty();
    }

    /** Remembers the wait on the current request, for the 429 answer's {@code Retry-After}. */
    static void remember(Duration wait) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(RETRY_AFTER, wait, RequestAttributes.SCOPE_REQUEST);
        }
    }
}
