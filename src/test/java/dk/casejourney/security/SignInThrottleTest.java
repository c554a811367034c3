package dk.casejourney.security;

import dk.casejourney.LedgerHttpTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Password guessing is slowed per user and per address, for HTTP Basic and for any other login built from
 * the same beans; the API description needs sign-in where the production profiles say so. Its own application
 * context (the property below), so that the users it locks out are locked for no other test.
 */
@TestPropertySource(properties = {"ledger.security.public-api-description=false", "ledger.audit.checkpoint-first=PT1H"})
class SignInThrottleTest extends LedgerHttpTest {

    @Autowired
    private UserDetailsService userDetails;
    @Autowired
    private PasswordEncoder passwordEncoder;
    @Autowired
    private AuthenticationEventPublisher events;

    @AfterEach
    void leaveRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void givenFiveWrongPasswordsForAUser_whenTheRightOneComes_thenTooManyRequestsWithRetryAfter() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(signIn("manager", "guess-" + i, "10.1.0." + i).getResponse().getStatus()).isEqualTo(401);
        }

        MvcResult locked = signIn("manager", "manager", "10.1.0.99");

        assertThat(locked.getResponse().getStatus()).isEqualTo(429);
        assertThat(locked.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(Long.parseLong(locked.getResponse().getHeader(HttpHeaders.RETRY_AFTER))).isBetween(1L, 900L);
        assertThat(locked.getResponse().getContentAsString()).contains("too-many-sign-in-attempts")
                                                           .doesNotContain("guess");
        assertThat(signIn("auditor", "auditor", "10.1.0.99").getResponse().getStatus())
                .as("another user from the same address").isEqualTo(200);
    }

    @Test
    void givenTwentyFailuresFromOneAddressAcrossNames_whenAnyoneSignsInFromThere_thenTooManyRequests()
            throws Exception {
        for (int i = 0; i < 20; i++) {
            signIn("nobody-" + i, "guess", "10.2.0.1");
        }

        assertThat(signIn("caseworker", "caseworker", "10.2.0.1").getResponse().getStatus()).isEqualTo(429);
        assertThat(signIn("caseworker", "caseworker", "10.2.0.2").getResponse().getStatus())
                .as("the same user from elsewhere").isEqualTo(200);
    }

    @Test
    void givenAnotherLoginBuiltFromTheBeans_whenAUserIsGuessedAt_thenItIsLockedAsWell() {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(passwordEncoder);
        provider.setUserDetailsService(userDetails);
        ProviderManager formLogin = new ProviderManager(List.of(provider));
        formLogin.setAuthenticationEventPublisher(events);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("10.3.0.1");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> formLogin.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(
                    "admin", "guess"))).isInstanceOf(BadCredentialsException.class);
        }

        assertThatThrownBy(() -> formLogin.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(
                "admin", "admin"))).isInstanceOf(LockedException.class);
    }

    @Test
    void givenProductionSettings_whenTheApiDescriptionIsAskedForWithoutSignIn_thenItIsRefused() throws Exception {
        assertThat(mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/swagger-ui.html")).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(signIn("auditor", "auditor", "10.4.0.1").getResponse().getStatus()).isEqualTo(200);
        assertThat(mvc.perform(get("/v3/api-docs").with(httpBasic("auditor", "auditor"))).andReturn()
                      .getResponse().getStatus()).isEqualTo(200);

        List<PropertySource<?>> postgres = new YamlPropertySourceLoader()
                .load("postgres", new ClassPathResource("application-postgres.yml"));
        assertThat(postgres.get(0).getProperty("ledger.security.public-api-description"))
                .as("the production profiles (axonserver includes postgres)").isEqualTo(false);
    }

    private MvcResult signIn(String user, String password, String address) throws Exception {
        MockHttpServletRequestBuilder request = get("/api/cases").with(httpBasic(user, password));
        if (user.equals("manager")) {
            request = get("/api/evaluation/cases").with(httpBasic(user, password));
        }
        return mvc.perform(request.with(r -> {
            r.setRemoteAddr(address);
            return r;
        })).andReturn();
    }
}
