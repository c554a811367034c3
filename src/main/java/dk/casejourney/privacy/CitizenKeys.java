package dk.casejourney.privacy;

import java.util.Optional;

/**
 * Where citizens' data keys are kept, apart from the events they unlock. Destroying a citizen's keys makes
 * every copy of their sealed personal data unreadable: in the ledger, in read models and in backups of both.
 */
public interface CitizenKeys {

    /** The key to seal this citizen's data with now: the live one, or a new one on first use. */
    Key currentKey(String pseudonym);

    /** The key with this id, or empty when it was destroyed (or never existed). */
    Optional<byte[]> key(String keyId);

    /** Destroys all live keys of the citizen; answers how many there were. */
    int destroy(String pseudonym);

    record Key(String keyId, byte[] bytes) {

        @Override
        public String toString() {
            return "Key[" + keyId + "]";
        }
    }
}
