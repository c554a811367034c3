package dk.casejourney.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Turns a CPR number into a stable pseudonym: a keyed hash (HMAC-SHA256) with a secret that only the
 * ledger knows, so a citizen's cases can be related in analysis without the number, and the number cannot
 * be recovered by hashing all possible CPR numbers without the secret.
 */
public final class Pseudonymizer {

    private static final String ALGORITHM = "HmacSHA256";
    /**
     * Keyed once and never used itself: each digest is computed on a clone, where looking up the provider and
     * keying a MAC per digest cost about twice the digest (every command with a CPR number, every recorded
     * request's fingerprint).
     */
    private final Mac prototype;

    public Pseudonymizer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the pseudonym secret must have at least 16 characters");
        }
        try {
            this.prototype = Mac.getInstance(ALGORITHM);
            this.prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            // Refused at start-up, not at the first digest, if the provider cannot clone.
            this.prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC-SHA256 provider cannot clone a MAC", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * The keyed hash of a CPR number: the citizen's lookup in the key store's directory, which maps it to the
     * citizen's random pseudonym until an erasure removes the entry. Never stored beside cases (citizens recorded
     * before the directory existed have it as their pseudonym, see docs/security.md).
     */
    public String pseudonymOf(String cprDigits) {
        byte[] digest = mac(cprDigits.getBytes(StandardCharsets.US_ASCII));
        // 96 bits: collisions are negligible for a national population and the pseudonym stays readable.
        return "P-" + HexFormat.of().formatHex(digest, 0, 12);
    }

    /**
     * A keyed digest of data that may hold personal data (e.g. a request body kept as an idempotency
     * fingerprint). Unkeyed, the few possible CPR numbers could be hashed until one matches, which would
     * bring an erased number back.
     */
    public String fingerprint(byte[] data) {
        return HexFormat.of().formatHex(mac(data));
    }

    private byte[] mac(byte[] data) {
        try {
            return ((Mac) prototype.clone()).doFinal(data);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC-SHA256 provider cannot clone a MAC", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonymizer[HMAC-SHA256]";
    }
}
