package dk.casejourney.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/**
 * Sign-in for the pages: a login form, a session cookie and CSRF tokens, separate from the API's stateless
 * chain (HTTP Basic and bearer tokens keep working there). It covers only the page paths and takes precedence
 * over the API chain; users and password encoder are the application's own beans (the global authentication
 * manager), so a failed form sign-in is the same authentication failure as a failed Basic one. The role rules
 * mirror the API's: a page may show only what its role may read through the API.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebSecurityConfiguration {

    static final String CASEWORKER = "CASEWORKER";
    static final String AUDITOR = "AUDITOR";
    static final String MANAGER = "MANAGER";
    static final String ADMIN = "ADMIN";

    @Bean
    @Order(1)
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        http.securityMatcher("/", "/login", "/logout", "/app", "/app/**", "/assets/**", "/webjars/**",
                             "/favicon.ico")
            .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).failureUrl("/login?error")
                                   .permitAll())
            .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut").deleteCookies("JSESSIONID"))
            .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
            .headers(headers -> headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                    + "frame-ancestors 'none'; form-action 'self'"))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
            .authorizeHttpRequests(this::rules);
        return http.build();
    }

    private void rules(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
        rules.requestMatchers("/assets/**", "/webjars/**", "/favicon.ico", "/login").permitAll()
             .requestMatchers(GET, "/").authenticated()

             // Cases: caseworkers record and read, auditors read (as /api/cases).
             .requestMatchers(POST, "/app/cases/*/record/**", "/app/cases/new").hasRole(CASEWORKER)
             .requestMatchers("/app/cases", "/app/cases/**").hasAnyRole(CASEWORKER, AUDITOR)

             // The access log answers a citizen's question (as /api/audit/access-log); the rest is the auditor's.
             .requestMatchers("/app/audit/access-log").hasAnyRole(AUDITOR, CASEWORKER)
             .requestMatchers("/app/audit", "/app/audit/**").hasRole(AUDITOR)

             // Evaluation pages read the evaluation (as /api/evaluation).
             .requestMatchers("/app/evaluation", "/app/evaluation/**").hasAnyRole(MANAGER, AUDITOR)

             // Projections: administrators rebuild, auditors look on (as /api/admin).
             .requestMatchers(POST, "/app/projections/**").hasRole(ADMIN)
             .requestMatchers(GET, "/app/projections", "/app/projections/**").hasAnyRole(ADMIN, AUDITOR)
             .requestMatchers(POST, "/app/ledger/verification").hasAnyRole(ADMIN, AUDITOR)
             .anyRequest().denyAll();
    }
}
