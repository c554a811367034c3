package dk.casejourney.security;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.List;

/** Users from configuration, with hashed passwords. */
final class UserConfiguration {

    private UserConfiguration() {
    }

    /** {@code {bcrypt}…} and the other DelegatingPasswordEncoder formats; a hash without {@code {id}} is bcrypt. */
    static PasswordEncoder passwordEncoder() {
        DelegatingPasswordEncoder encoder =
                (DelegatingPasswordEncoder) PasswordEncoderFactories.createDelegatingPasswordEncoder();
        encoder.setDefaultPasswordEncoderForMatches(new BCryptPasswordEncoder());
        return encoder;
    }

    static List<UserDetails> users(SecurityProperties properties) {
        return properties.users().entrySet().stream()
                         .filter(entry -> entry.getValue().enabled())
                         .map(entry -> User.withUsername(entry.getKey())
                                           .password(entry.getValue().passwordHash())
                                           .roles(entry.getValue().roles().stream().map(Role::name)
                                                       .toArray(String[]::new))
                                           .build())
                         .toList();
    }
}
