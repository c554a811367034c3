package dk.casejourney.security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses to start a production profile while a user's password is its own name (the documented demo
 * users), the pseudonym secret is the shipped demo value, or no key-encryption key, chain key or checkpoint
 * signing key is configured. It runs on the prepared environment, before any bean or database connection, so a wrongly
 * configured production start fails at once with a message that says what to change.
 */
public class DemoUserGuard implements EnvironmentPostProcessor, Ordered {

    static final Set<String> PRODUCTION_PROFILES = Set.of("postgres", "axonserver");
    /** The value application.yml ships; a production start with it is refused. */
    static final String DEMO_PSEUDONYM_SECRET = "change-me-pseudonym-secret-0001";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> production = Arrays.stream(environment.getActiveProfiles())
                                        .filter(PRODUCTION_PROFILES::contains).toList();
        if (production.isEmpty()
                || environment.getProperty("ledger.security.allow-demo-users", Boolean.class, false)) {
            return;
        }
        Map<String, SecurityProperties.User> users = Binder.get(environment)
                .bind("ledger.security.users", Bindable.mapOf(String.class, SecurityProperties.User.class))
                .orElse(Map.of());
        Set<String> demo = demoUsers(users);
        if (!demo.isEmpty()) {
            throw new IllegalStateException("Refusing to start in profile " + String.join(",", production)
                    + ": users " + demo + " have their own name as password (the demo users). Give them "
                    + "bcrypt password hashes of your own in ledger.security.users.<name>.password-hash, disable "
                    + "them with a blank password-hash, or sign in with JWT; set ledger.security.allow-demo-users=true "
                    + "only to try the product out.");
        }
        List<String> secrets = demoSecrets(environment);
        if (!secrets.isEmpty()) {
            throw new IllegalStateException("Refusing to start in profile " + String.join(",", production)
                    + ": " + String.join("; ", secrets) + ". See docs/security.md; set "
                    + "ledger.security.allow-demo-users=true only to try the product out.");
        }
    }

    /**
     * The shipped demo secrets still in use: with the demo pseudonym secret anyone can hash all 10-digit CPR
     * numbers and reverse every lookup; with the demo key-encryption key the key store opens every citizen's data.
     */
    static List<String> demoSecrets(ConfigurableEnvironment environment) {
        List<String> found = new java.util.ArrayList<>();
        String secret = environment.getProperty("ledger.privacy.pseudonym-secret", "");
        if (secret.isBlank() || DEMO_PSEUDONYM_SECRET.equals(secret)) {
            found.add("ledger.privacy.pseudonym-secret is the shipped demo value (set LEDGER_PRIVACY_PSEUDONYMSECRET "
                              + "to a random secret of at least 32 characters, kept outside the database)");
        }
        Map<String, String> keks = Binder.get(environment)
                .bind("ledger.privacy.key-encryption-keys", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        if (keks.values().stream().allMatch(value -> value == null || value.isBlank())) {
            found.add("no ledger.privacy.key-encryption-keys are configured, so citizens' keys would be wrapped by "
                              + "the public demo key (set LEDGER_PRIVACY_KEYENCRYPTIONKEYS_<ID> to base64 of 32 random "
                              + "bytes, e.g. `openssl rand -base64 32`)");
        }
        for (String key : List.of("ledger.audit.chain-key", "ledger.audit.signing-key")) {
            if (environment.getProperty(key, "").isBlank()) {
                found.add(key + " is not set, so the public demo key would be used (set "
                                  + key.toUpperCase(java.util.Locale.ROOT).replace(".", "_").replace("-", "")
                                  + " to base64 of 32 random bytes)");
            }
        }
        return found;
    }

    /** Users whose password is their own name. */
    static Set<String> demoUsers(Map<String, SecurityProperties.User> users) {
        PasswordEncoder encoder = UserConfiguration.passwordEncoder();
        Set<String> demo = new TreeSet<>();
        users.forEach((name, user) -> {
            if (user.enabled() && encoder.matches(name, user.passwordHash())) {
                demo.add(name);
            }
        });
        return demo;
    }

    @Override
    public int getOrder() {
        // After the configuration files have been read into the environment.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
