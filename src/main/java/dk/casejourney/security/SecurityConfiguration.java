package dk.casejourney.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import jakarta.servlet.DispatcherType;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;

/**
 * Sign-in and who may do what. Every request needs a signed-in user except health and the API
 * description; each role reaches only its part of the API and everything not named here is refused.
 * Only where there is an HTTP API: a batch process without a web server has nothing to sign in to.
 * Stateless: credentials (HTTP Basic or a JWT bearer token) come with every request, so there is no
 * session and no cookie to forge requests with (hence no CSRF tokens).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SecurityProperties.class)
@SecurityScheme(name = SecurityConfiguration.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(name = SecurityConfiguration.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT")
class SecurityConfiguration {

    static final String BASIC = "basic";
    static final String BEARER = "bearer";

    private static final String CASEWORKER = Role.CASEWORKER.name();
    private static final String AUDITOR = Role.AUDITOR.name();
    private static final String MANAGER = Role.MANAGER.name();
    private static final String ADMIN = Role.ADMIN.name();

    @Bean
    SecurityFilterChain api(HttpSecurity http, SecurityProperties properties, ObjectMapper objectMapper,
                            ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        boolean basic = !UserConfiguration.users(properties).isEmpty();
        boolean jwt = jwtDecoder.getIfAvailable() != null;
        List<String> challenges = new ArrayList<>();
        if (basic) {
            challenges.add("Basic realm=\"case-journey-ledger\"");
        }
        if (jwt) {
            challenges.add("Bearer");
        }
        ProblemResponses problems = new ProblemResponses(objectMapper, challenges);
        http.csrf(AbstractHttpConfigurer::disable)
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
            .authorizeHttpRequests(rules -> rules(rules, properties.publicApiDescription()));
        if (basic) {
            http.httpBasic(httpBasic -> httpBasic.authenticationEntryPoint(problems));
        }
        if (jwt) {
            http.oauth2ResourceServer(server -> server
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(token -> token.jwtAuthenticationConverter(jwtAuthenticationConverter(properties.jwt()))));
        }
        return http.build();
    }

    private void rules(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules,
                       boolean publicApiDescription) {
        // Error dispatches answer a request that was already authorized; health and the API description are public.
        rules.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
             .requestMatchers(GET, "/actuator/health", "/actuator/health/**").permitAll();
        // Production profiles keep the API description behind sign-in (any role): it maps the attack surface.
        var apiDescription = rules.requestMatchers(GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                                   "/swagger-ui/**");
        if (publicApiDescription) {
            apiDescription.permitAll();
        } else {
            apiDescription.authenticated();
        }
        rules

             .requestMatchers(POST, "/api/cases", "/api/cases/**").hasRole(CASEWORKER)
             .requestMatchers(GET, "/api/cases", "/api/cases/**").hasAnyRole(CASEWORKER, AUDITOR)
             .requestMatchers(HEAD, "/api/cases", "/api/cases/**").hasAnyRole(CASEWORKER, AUDITOR)

             // A citizen asks a caseworker who has looked at their cases (access-log insight).
             .requestMatchers(GET, "/api/audit/access-log").hasAnyRole(AUDITOR, CASEWORKER)
             .requestMatchers(GET, "/api/audit/**").hasRole(AUDITOR)

             // Evaluation and exports are read-only views of the ledger: a manager may also POST a query or
             // an export order to them; an auditor only reads.
             .requestMatchers(GET, "/api/evaluation/**", "/api/exports/**").hasAnyRole(MANAGER, AUDITOR)
             .requestMatchers("/api/evaluation/**", "/api/exports/**").hasRole(MANAGER)

             .requestMatchers(GET, "/api/admin/**", "/api/imports/**", "/api/citizens/erasures/**")
             .hasAnyRole(ADMIN, AUDITOR)
             .requestMatchers("/api/admin/**", "/api/imports/**").hasRole(ADMIN)
             .requestMatchers(POST, "/api/citizens/erasures").hasRole(ADMIN)

             .requestMatchers(GET, "/actuator/**").hasAnyRole(ADMIN, AUDITOR)
             .anyRequest().denyAll();
    }

    /**
     * No Micrometer observation around each security filter, sign-in and authorization: they were a tenth of a
     * live write's CPU and duplicate what {@code http.server.requests} (status per URI) and the sign-in
     * throttle's own counts already show.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** The API description says that every operation needs one of the two sign-ins. */
    @Bean
    OpenApiCustomizer signInRequirement() {
        return openApi -> openApi.addSecurityItem(new SecurityRequirement().addList(BASIC))
                                 .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /**
     * Spring's password formats, with successful verifications remembered briefly (see
     * {@link VerifiedPasswords}); the bean any other login (a form page) should use as well.
     */
    @Bean
    PasswordEncoder passwordEncoder(SecurityProperties properties, Clock clock) {
        SecurityProperties.SignIn signIn = properties.signIn();
        return new VerifiedPasswords(UserConfiguration.passwordEncoder(), signIn.verifiedPasswordTtl(),
                                     signIn.verifiedPasswordsMax(), clock);
    }

    @Bean
    SignInThrottle signInThrottle(SecurityProperties properties, Clock clock) {
        SecurityProperties.SignIn signIn = properties.signIn();
        return new SignInThrottle(signIn.failuresPerUser(), signIn.failuresPerAddress(), signIn.failureWindow(),
                                  signIn.maxDelay(), clock);
    }

    /** The only UserDetailsService bean, so every authentication manager built from the beans is throttled. */
    @Bean
    ThrottledUserDetailsService users(SecurityProperties properties, SignInThrottle throttle) {
        return new ThrottledUserDetailsService(new InMemoryUserDetailsManager(UserConfiguration.users(properties)),
                                               throttle);
    }

    static JwtAuthenticationConverter jwtAuthenticationConverter(SecurityProperties.Jwt jwt) {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(jwt.rolesClaim());
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        converter.setPrincipalClaimName(jwt.principalClaim());
        return converter;
    }
}
