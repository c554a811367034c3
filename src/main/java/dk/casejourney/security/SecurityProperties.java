package dk.casejourney.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;
import java.util.Map;

/**
 * Who may sign in. {@code users} are HTTP Basic users for the embedded set-up; production signs in with
 * JWT bearer tokens when {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} is set.
 *
 * @param users          by user name; a user with a blank password hash is disabled (maps from several
 *                       configuration files are merged, so this is how a profile removes a user)
 * @param allowDemoUsers start in the {@code postgres} and {@code axonserver} profiles although a user's
 *                       password is its own name (the demo set)
 * @param jwt            how roles and the user name are read from a token
 * @param publicApiDescription whether {@code /v3/api-docs} and Swagger UI answer without sign-in (the
 *                       embedded default; the production profiles set it to false)
 * @param signIn         brute-force limits and how long a verified password is remembered
 */
@ConfigurationProperties("ledger.security")
public record SecurityProperties(Map<String, User> users,
                                 @DefaultValue("false") boolean allowDemoUsers,
                                 @DefaultValue Jwt jwt,
                                 @DefaultValue("true") boolean publicApiDescription,
                                 @DefaultValue SignIn signIn) {

    public SecurityProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    /**
     * @param passwordHash in the {@code {id}hash} format of Spring's DelegatingPasswordEncoder, e.g.
     *                     {@code {bcrypt}$2a$10$...}; a bare bcrypt hash is accepted too
     */
    public record User(String passwordHash, List<Role> roles) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        boolean enabled() {
            return passwordHash != null && !passwordHash.isBlank();
        }

        @Override
        public String toString() {
            return "User[roles=" + roles + "]";
        }
    }

    /**
     * @param rolesClaim     the claim holding the role names (a list or a space-separated string), e.g.
     *                       {@code roles} or {@code groups}
     * @param principalClaim the claim recorded as who recorded an event
     */
    public record Jwt(@DefaultValue("roles") String rolesClaim, @DefaultValue("sub") String principalClaim) {
    }

    /**
     * @param failuresPerUser     failed sign-ins of one name before further attempts wait
     * @param failuresPerAddress  failed sign-ins from one client address before further attempts wait
     * @param failureWindow       how long a failure counts
     * @param maxDelay            the longest wait; it doubles from one second with each further failure
     * @param verifiedPasswordTtl how long a verified password is remembered (PT0S: verify every request)
     * @param verifiedPasswordsMax at most this many remembered verifications (one per user)
     */
    public record SignIn(@DefaultValue("5") int failuresPerUser,
                         @DefaultValue("20") int failuresPerAddress,
                         @DefaultValue("PT15M") java.time.Duration failureWindow,
                         @DefaultValue("PT15M") java.time.Duration maxDelay,
                         @DefaultValue("PT5M") java.time.Duration verifiedPasswordTtl,
                         @DefaultValue("10000") int verifiedPasswordsMax) {
    }
}
