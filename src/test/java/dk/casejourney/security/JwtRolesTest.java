package dk.casejourney.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JwtRolesTest {

    private static Jwt token(String claim, Object roles) {
        return Jwt.withTokenValue("token").header("alg", "RS256")
                  .subject("a1b2").claim("preferred_username", "alice").claim(claim, roles)
                  .issuedAt(Instant.parse("2024-03-01T09:00:00Z")).expiresAt(Instant.parse("2024-03-01T10:00:00Z"))
                  .build();
    }

    @Test
    void rolesComeFromTheConfiguredClaimAndTheRecorderFromTheSubject() {
        var authentication = SecurityConfiguration
                .jwtAuthenticationConverter(new SecurityProperties.Jwt("roles", "sub"))
                .convert(token("roles", List.of("AUDITOR", "MANAGER")));

        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                                                   .containsExactlyInAnyOrder("ROLE_AUDITOR", "ROLE_MANAGER");
        assertThat(authentication.getName()).isEqualTo("a1b2");
    }

    @Test
    void anotherClaimNameAndASpaceSeparatedListWork() {
        var authentication = SecurityConfiguration
                .jwtAuthenticationConverter(new SecurityProperties.Jwt("ledger_roles", "preferred_username"))
                .convert(token("ledger_roles", "CASEWORKER"));

        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                                                   .containsExactly("ROLE_CASEWORKER");
        assertThat(authentication.getName()).isEqualTo("alice");
    }
}
