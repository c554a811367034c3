package dk.casejourney.privacy;

import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Seals personal data with a key of the citizen's own (AES-256-GCM: encrypted and authenticated), so that
 * destroying that key erases the data from every event and copy while the events themselves stay as they
 * were recorded. The key id is bound into the ciphertext, so sealed data cannot be moved to another key.
 */
public final class PersonalDataVault {

    private static final int IV_BYTES = AesGcm.IV_BYTES;
    private final CitizenKeys keys;
    private final SecureRandom random = new SecureRandom();
    private final AesGcm gcm = new AesGcm();

    public PersonalDataVault(CitizenKeys keys) {
        this.keys = keys;
    }

    /**
     * Seals the text with the key of the citizen known by {@code lookup} (the keyed hash of their CPR number,
     * {@link Pseudonymizer#pseudonymOf}), creating the citizen, with a new random pseudonym, and the key on first
     * use. The answer names the citizen's pseudonym: the one to record, since nothing else derives it.
     */
    public Sealed seal(String lookup, String text) {
        CitizenKeys.CitizenKey citizen = keys.citizen(lookup);
        CitizenKeys.Key key = citizen.key();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] encrypted = gcm.seal(new SecretKeySpec(key.bytes(), "AES"), iv, aad(key.keyId()),
                                        text.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = ByteBuffer.allocate(IV_BYTES + encrypted.length).put(iv).put(encrypted).array();
            return new Sealed(key.keyId(), Base64.getEncoder().encodeToString(sealed), citizen.pseudonym());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /** The sealed text, or empty when its key was destroyed (the citizen was erased). */
    public Optional<String> open(String keyId, String sealedText) {
        if (keyId == null || sealedText == null) {
            return Optional.empty();
        }
        return keys.key(keyId).map(key -> {
            byte[] sealed = Base64.getDecoder().decode(sealedText);
            try {
                return new String(gcm.open(new SecretKeySpec(key, "AES"), Arrays.copyOf(sealed, IV_BYTES), aad(keyId),
                                           sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("sealed personal data under key " + keyId + " fails authentication", e);
            }
        });
    }

    /**
     * Whether data sealed under this key can still be read: its key is kept. Asked for every case a read model
     * takes in (rebuilds and imports included), so the key is looked up, not unwrapped.
     */
    public boolean readable(String keyId) {
        return keyId != null && keys.exists(keyId);
    }

    /** Which of these keys can still open what they sealed: {@link #readable(String)} for many at once. */
    public Set<String> readable(Collection<String> keyIds) {
        return keys.kept(keyIds.stream().filter(Objects::nonNull).toList());
    }

    /**
     * The pseudonym of the citizen known by {@code lookup}, or empty when the ledger holds no such citizen (never
     * recorded, or erased: then the CPR number leads nowhere any more).
     */
    public Optional<String> citizenPseudonym(String lookup) {
        return lookup == null ? Optional.empty() : keys.pseudonym(lookup);
    }

    /**
     * Runs a batch of commands that commits as one database transaction (a bulk import's): the keys of the new
     * citizens it seals are made durable together just before that transaction commits, instead of one by one
     * before each is used. Nothing sealed can be committed before its key is durable either way.
     */
    public <T> T inBatch(Supplier<T> batch) {
        return KeyBatches.run(batch);
    }

    /** Destroys the citizen's keys and their directory entry; answers how many keys were live. */
    public int erase(String pseudonym) {
        return keys.destroy(pseudonym);
    }

    private static byte[] aad(String keyId) {
        return keyId.getBytes(StandardCharsets.UTF_8);
    }

    /** Sealed data, the id of the key that opens it, and the pseudonym of the citizen it belongs to. */
    public record Sealed(String keyId, String text, String citizenPseudonym) {
    }

    @Override
    public String toString() {
        return "PersonalDataVault[AES-256-GCM]";
    }
}
