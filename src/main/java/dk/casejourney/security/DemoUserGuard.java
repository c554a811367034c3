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
 * users). It runs on the prepared environment, before any bean or database connection, so a wrongly
 * configured production start fails at once with a message that says what to change.
 */
public class DemoUserGuard implements EnvironmentPostProcessor, Ordered {

    static final Set<String> PRODUCTION_PROFILES = Set.of("postgres", "axonserver");

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
