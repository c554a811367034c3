package dk.casejourney.security;

import dk.casejourney.LedgerApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
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
        MockEnvironment disabled = ownSecrets(new MockEnvironment()
                .withProperty("ledger.security.users.admin.password-hash", "")
                .withProperty("ledger.security.users.alice.password-hash", OWN_HASH));
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

    @Test
    void givenThePostgresProfileWithTheDemoPseudonymSecret_whenStarting_thenRefusedNamingTheSetting() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("ledger.privacy.pseudonym-secret", DemoUserGuard.DEMO_PSEUDONYM_SECRET)
                .withProperty("ledger.privacy.key-encryption-keys.k1", KEK);
        environment.setActiveProfiles("postgres");

        assertThatThrownBy(() -> new DemoUserGuard().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("ledger.privacy.pseudonym-secret")
                .hasMessageContaining("LEDGER_PRIVACY_PSEUDONYMSECRET");
    }

    @Test
    void givenTheAxonServerProfileWithoutAKeyEncryptionKey_whenStarting_thenRefusedNamingTheSetting() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("ledger.privacy.pseudonym-secret", "a-secret-of-the-operator-0123456789");
        environment.setActiveProfiles("axonserver");

        assertThatThrownBy(() -> new DemoUserGuard().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("ledger.privacy.key-encryption-keys")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pseudonym-secret"));
    }

    @Test
    void givenTheShippedConfiguration_whenThePostgresProfileStarts_thenTheDemoSecretIsRefused() {
        SpringApplication application = new SpringApplication(LedgerApplication.class);
        application.setAdditionalProfiles("postgres");

        assertThatThrownBy(() -> application.run("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                                                 "--ledger.security.users.caseworker.password-hash=",
                                                 "--ledger.security.users.auditor.password-hash=",
                                                 "--ledger.security.users.manager.password-hash=",
                                                 "--ledger.security.users.admin.password-hash="))
                .hasMessageContaining("Refusing to start in profile postgres")
                .hasMessageContaining("ledger.privacy.pseudonym-secret");
    }

    @Test
    void givenThePostgresProfileWithoutAChainKey_whenStarting_thenRefusedNamingTheSetting() {
        MockEnvironment environment = ownSecrets(new MockEnvironment()).withProperty("ledger.audit.chain-key", "");
        environment.setActiveProfiles("postgres");

        assertThatThrownBy(() -> new DemoUserGuard().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("LEDGER_AUDIT_CHAINKEY");
    }

    @Test
    void givenOwnSecrets_whenThePostgresProfileStarts_thenTheGuardLetsItStart() {
        MockEnvironment environment = ownSecrets(new MockEnvironment());
        environment.setActiveProfiles("postgres");

        assertThatCode(() -> new DemoUserGuard().postProcessEnvironment(environment, new SpringApplication()))
                .doesNotThrowAnyException();
    }

    private static final String KEK = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private static MockEnvironment ownSecrets(MockEnvironment environment) {
        return environment.withProperty("ledger.privacy.pseudonym-secret", "a-secret-of-the-operator-0123456789")
                          .withProperty("ledger.privacy.key-encryption-keys.k1", KEK)
                          .withProperty("ledger.audit.chain-key", KEK)
                          .withProperty("ledger.audit.signing-key", KEK);
    }
}
