package dk.casejourney.security;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.time.Duration;
import java.util.Optional;

/**
 * The configured users, reported locked while the {@link SignInThrottle} holds the name or the address back:
 * Spring's pre-authentication check then refuses with {@code LockedException} before any password hash is
 * computed, in whichever authentication manager uses this bean. A name that does not exist is locked the same
 * way, so the answer does not tell which names exist.
 */
final class ThrottledUserDetailsService implements UserDetailsService, UserDetailsPasswordService {

    private static final String UNKNOWN_USER_HASH = "{noop}";
    private final InMemoryUserDetailsManager users;
    private final SignInThrottle throttle;

    ThrottledUserDetailsService(InMemoryUserDetailsManager users, SignInThrottle throttle) {
        this.users = users;
        this.throttle = throttle;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        Optional<Duration> wait = throttle.retryAfter(username);
        if (wait.isEmpty()) {
            return users.loadUserByUsername(username);
        }
        SignInThrottle.remember(wait.get());
        UserDetails user;
        try {
            user = users.loadUserByUsername(username);
        } catch (UsernameNotFoundException e) {
            user = User.withUsername(username).password(UNKNOWN_USER_HASH).roles().build();
        }
        return User.withUserDetails(user).accountLocked(true).build();
    }

    @Override
    public UserDetails updatePassword(UserDetails user, String newPassword) {
        return users.updatePassword(user, newPassword);
    }
}
