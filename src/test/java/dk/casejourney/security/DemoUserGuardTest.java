package dk.casejourney.security;

import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoUserGuardTest {

    private static final String OWN_HASH = "{bcrypt}$2a$10$E/eyzD4ATpjehicODp/w.uz0OK8BDb.SGYcmBsNEjF/Y7k1tjfzz6";

    @Test
    void thePostgresProfileRefusesToStartWithTheDemoUsersBeforeTouchingADatabase() {
        SpringApplication application = new SpringApplication(LedgerApplication.class);
        application.setAdditionalProfiles("postgres");

        assertThatThrownBy(() -> application.run("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none"))
                .hasMessageContaining("Refusing to start in profile postgres")
                .hasMessageContaining("[admin, auditor, caseworker, manager]")
                .hasMessageContaining("ledger.security.allow-demo-users");
    }

    @Test
    void theAxonServerProfileRefusesAUserWhosePasswordIsItsName() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("ledger.security.users.admin.password-hash", OWN_HASH)
                .withProperty("ledger.security.users.admin.roles[0]", "ADMIN");
        environment.setActiveProfiles("axonserver");

        assertThatThrownBy(() -> new DemoUserGuard().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("[admin]");
    }

    @Test
    void explicitlyAllowedDemoUsersOwnPasswordsAndDisabledUsersStart() {
        MockEnvironment allowed = new MockEnvironment()
                .withProperty("ledger.security.users.admin.password-hash", OWN_HASH)
                .withProperty("ledger.security.allow-demo-users", "true");
        allowed.setActiveProfiles("postgres");
        MockEnvironment disabled = new MockEnvironment()
                .withProperty("ledger.security.users.admin.password-hash", "")
                .withProperty("ledger.security.users.alice.password-hash", OWN_HASH);
        disabled.setActiveProfiles("postgres");
        MockEnvironment embedded = new MockEnvironment()
                .withProperty("ledger.security.users.admin.password-hash", OWN_HASH);

        assertThatCode(() -> new DemoUserGuard().postProcessEnvironment(allowed, new SpringApplication()))
                .doesNotThrowAnyException();
        assertThatCode(() -> new DemoUserGuard().postProcessEnvironment(disabled, new SpringApplication()))
                .doesNotThrowAnyException();
        assertThatCode(() -> new DemoUserGuard().postProcessEnvironment(embedded, new SpringApplication()))
                .doesNotThrowAnyException();
    }
}
