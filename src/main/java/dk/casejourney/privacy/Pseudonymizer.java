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
    private final SecretKeySpec key;

    public Pseudonymizer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the pseudonym secret must have at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
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
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonymizer[HMAC-SHA256]";
    }
}
