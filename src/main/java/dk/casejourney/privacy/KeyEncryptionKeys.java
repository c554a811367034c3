package dk.casejourney.privacy;

import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key-encryption keys (KEKs) that wrap every citizen's data key, by id. They come from configuration
 * (an environment variable or a file outside the data directory), never from the database, so the key
 * store alone opens nothing. New wraps use the current KEK (by default the greatest id: name them so they
 * sort, e.g. {@code 2026-11}); older ones still unwrap, and the stores rewrap everything to the current KEK
 * at start, after which an old KEK can be removed. Without any configured KEK the public demo KEK is used:
 * it protects nothing, and the production profiles refuse to start with it.
 */
final class KeyEncryptionKeys {

    static final String DEMO_ID = "demo";
    private static final byte[] DEMO_KEY = "case-journey-ledger demo KEK 32B".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = AesGcm.IV_BYTES;
    private final Map<String, SecretKeySpec> keys = new TreeMap<>();
    private final String current;
    private final SecureRandom random = new SecureRandom();
    private final AesGcm gcm = new AesGcm();

    /** A wrapped data key and the id of the KEK that unwraps it. */
    record Wrapped(String kekId, byte[] bytes) {
    }

    KeyEncryptionKeys(Map<String, String> configured, String currentId) {
        configured.forEach((id, base64) -> {
            if (base64 == null || base64.isBlank()) {
                return;
            }
            byte[] key = Base64.getDecoder().decode(base64.trim());
            if (key.length != 32) {
                throw new IllegalArgumentException("key-encryption key " + id + " must be 32 bytes (base64 of 32 "
                        + "random bytes, e.g. `openssl rand -base64 32`), not " + key.length);
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        });
        boolean demo = keys.isEmpty();
        keys.putIfAbsent(DEMO_ID, new SecretKeySpec(DEMO_KEY, "AES"));
        if (currentId != null && !currentId.isBlank()) {
            if (!keys.containsKey(currentId)) {
                throw new IllegalArgumentException("the current key-encryption key " + currentId + " is not configured");
            }
            current = currentId;
        } else {
            current = demo ? DEMO_ID : ((TreeMap<String, SecretKeySpec>) keys).keySet().stream()
                                                                             .filter(id -> !id.equals(DEMO_ID))
                                                                             .reduce((a, b) -> b).orElseThrow();
        }
    }

    String currentId() {
        return current;
    }

    boolean usesDemoKey() {
        return current.equals(DEMO_ID);
    }

    /** Wraps a data key under the current KEK; the key id is authenticated with it. */
    Wrapped wrap(String keyId, byte[] dataKey) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] sealed = gcm.seal(keys.get(current), iv, aad(keyId), dataKey);
            return new Wrapped(current, ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        }
    }

    byte[] unwrap(String keyId, Wrapped wrapped) {
        if (!keys.containsKey(wrapped.kekId())) {
            throw new IllegalStateException("data key " + keyId + " is wrapped by key-encryption key "
                    + wrapped.kekId() + ", which is not configured (ledger.privacy.key-encryption-keys)");
        }
        byte[] bytes = wrapped.bytes();
        try {
            return gcm.open(keys.get(wrapped.kekId()), Arrays.copyOf(bytes, IV_BYTES), aad(keyId), bytes, IV_BYTES,
                            bytes.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("data key " + keyId + " fails authentication under key-encryption key "
                    + wrapped.kekId(), e);
        }
    }

    private static byte[] aad(String keyId) {
        return keyId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys[current=" + current + "]";
    }
}
