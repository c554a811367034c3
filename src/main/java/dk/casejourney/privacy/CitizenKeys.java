package dk.casejourney.privacy;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where citizens' data keys are kept, apart from the events they unlock, together with the only link from a
 * CPR number to a citizen: the directory from the number's keyed hash (the lookup) to the citizen's pseudonym.
 * Destroying a citizen removes both, so every copy of their sealed personal data becomes unreadable (in the
 * ledger, in read models and in backups of both) and the number no longer leads to their cases.
 */
public interface CitizenKeys {

    /**
     * The citizen known by this lookup and the key to seal their data with now; on first use (also after an
     * erasure) a new citizen with a new, random pseudonym and a new key.
     */
    CitizenKey citizen(String lookup);

    /** The pseudonym of the citizen known by this lookup, or empty when unknown or erased. */
    Optional<String> pseudonym(String lookup);

    /** The key with this id, or empty when it was destroyed (or never existed). */
    Optional<byte[]> key(String keyId);

    /** Whether the key with this id is kept (not destroyed), without unwrapping it. */
    boolean exists(String keyId);

    /**
     * Which of these keys are kept, without unwrapping them: a read model asks this once for a batch's cases, where a
     * store in the database answers in one statement rather than one per case.
     */
    default Set<String> kept(Collection<String> keyIds) {
        return keyIds.stream().filter(this::exists).collect(Collectors.toSet());
    }

    /** Destroys all keys of the citizen and their directory entry; answers how many keys there were. */
    int destroy(String pseudonym);

    record CitizenKey(String pseudonym, Key key) {
    }

    record Key(String keyId, byte[] bytes) {

        @Override
        public String toString() {
            return "Key[" + keyId + "]";
        }
    }
}
