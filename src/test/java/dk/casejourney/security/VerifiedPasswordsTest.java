package dk.casejourney.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedPasswordsTest {

    private final AtomicInteger hashed = new AtomicInteger();
    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return "{x}" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            hashed.incrementAndGet();
            return encoded.equals("{x}" + raw);
        }
    };
    private final MutableClock clock = new MutableClock();
    private final VerifiedPasswords passwords = new VerifiedPasswords(counting, Duration.ofMinutes(5), 100, clock);

    @Test
    void givenAVerifiedPassword_whenTheSameCredentialsComeAgain_thenTheHashIsNotRecomputed() {
        for (int i = 0; i < 1000; i++) {
            assertThat(passwords.matches("secret", "{x}secret")).isTrue();
        }

        assertThat(hashed).hasValue(1);
    }

    @Test
    void givenRequestsOfManyUsersAtOnce_whenTheirPasswordsAreChecked_thenEachIsVerifiedOnceAndRememberedAfter()
            throws Exception {
        int users = 8;
        int checks = 20_000;
        ExecutorService threads = Executors.newFixedThreadPool(users);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int user = 0; user < users; user++) {
                String password = "secret-" + user;
                answers.add(threads.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < checks; i++) {
                        all &= passwords.matches(password, "{x}" + password);
                    }
                    return all;
                }));
            }
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }

        // A remembered proof computed wrongly under concurrency would send the password to the hash again.
        assertThat(hashed).hasValue(users);
    }

    @Test
    void givenAVerifiedPassword_whenAnotherPasswordComes_thenItIsCheckedAgainstTheHashAndTheMemoryIsDropped() {
        passwords.matches("secret", "{x}secret");

        assertThat(passwords.matches("guess", "{x}secret")).isFalse();
        assertThat(passwords.matches("secret", "{x}secret")).isTrue();

        assertThat(hashed).as("the wrong guess and the next right one are both verified").hasValue(3);
    }

    @Test
    void givenAVerifiedPassword_whenTheHashChangesOrTheTimeRunsOut_thenItIsVerifiedAgain() {
        passwords.matches("secret", "{x}secret");

        assertThat(passwords.matches("secret", "{x}new")).isFalse();
        clock.advance(Duration.ofMinutes(6));
        assertThat(passwords.matches("secret", "{x}secret")).isTrue();

        assertThat(hashed).hasValue(3);
    }

    @Test
    void givenTheBound_whenMoreHashesAreVerified_thenNoMoreAreRemembered() {
        VerifiedPasswords small = new VerifiedPasswords(counting, Duration.ofMinutes(5), 2, clock);
        for (int i = 0; i < 5; i++) {
            small.matches("p" + i, "{x}p" + i);
        }

        assertThat(small.size()).isEqualTo(2);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
