package dk.casejourney.security;

import org.springframework.security.crypto.password.PasswordEncoder;

import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A password encoder that remembers, for a short time, that a password matched a stored hash, so that HTTP
 * Basic (credentials on every request) costs one bcrypt verification per user and {@code ttl} instead of one
 * per request. What it keeps is safe to lose to a memory dump as far as that is possible: per stored hash, one
 * HMAC of password and hash under a key that lives only in this process, never the password; a different
 * password, or a changed hash, never matches it. A failed verification of a hash drops its entry, so a wrong
 * password is always checked against the real hash (and counted by the {@link SignInThrottle}). At most one
 * entry per stored hash, i.e. per configured user, and at most {@code maxEntries} in all.
 */
final class VerifiedPasswords implements PasswordEncoder {

    private static final String MAC = "HmacSHA256";
    private final PasswordEncoder delegate;
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    /**
     * Initialised once with this process's key and never used itself: each proof is computed on a clone, which
     * costs a copy of its state, where looking up the provider and initialising the key took four times the MAC's
     * own work on every request (profile of the HTTP benchmark).
     */
    private final Mac prototype;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(byte[] proof, long expiresAtMillis) {
    }

    VerifiedPasswords(PasswordEncoder delegate, Duration ttl, int maxEntries, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        try {
            SecretKey key = KeyGenerator.getInstance(MAC).generateKey();
            this.prototype = Mac.getInstance(MAC);
            this.prototype.init(key);
            // Refused at start-up, not on the first request, if the provider cannot clone.
            this.prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC-SHA256 provider cannot clone a MAC", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null || ttl.isZero()) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        long now = clock.millis();
        byte[] proof = mac(encodedPassword + "\0" + rawPassword);
        Verified earlier = verified.get(encodedPassword);
        if (earlier != null && earlier.expiresAtMillis() > now && MessageDigest.isEqual(earlier.proof(), proof)) {
            return true;
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            if (verified.size() >= maxEntries) {
                verified.values().removeIf(entry -> entry.expiresAtMillis() <= now);
            }
            if (verified.size() < maxEntries) {
                verified.put(encodedPassword, new Verified(proof, now + ttl.toMillis()));
            }
        } else {
            verified.remove(encodedPassword);
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    /** How many verifications are remembered now (for tests and metrics). */
    int size() {
        return verified.size();
    }

    private byte[] mac(String text) {
        try {
            return ((Mac) prototype.clone()).doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC-SHA256 provider cannot clone a MAC", e);
        }
    }

    @Override
    public String toString() {
        return "VerifiedPasswords[ttl=" + ttl + "]";
    }
}
