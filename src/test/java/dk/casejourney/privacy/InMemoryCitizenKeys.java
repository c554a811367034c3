package dk.casejourney.privacy;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Citizen keys in memory, for aggregate and projection tests. Unlike the product's stores, a citizen's
 * pseudonym here is their lookup itself, so that a test can name the citizen it expects in events.
 */
public class InMemoryCitizenKeys implements CitizenKeys {

    private record Entry(String pseudonym, byte[] bytes) {
    }

    private final Map<String, Entry> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    @Override
    public synchronized CitizenKey citizen(String lookup) {
        Key key = keys.entrySet().stream()
                      .filter(entry -> entry.getValue().pseudonym().equals(lookup) && entry.getValue().bytes() != null)
                      .map(entry -> new Key(entry.getKey(), entry.getValue().bytes()))
                      .findFirst()
                      .orElseGet(() -> {
                          byte[] bytes = new byte[32];
                          random.nextBytes(bytes);
                          String id = UUID.randomUUID().toString();
                          keys.put(id, new Entry(lookup, bytes));
                          return new Key(id, bytes);
                      });
        return new CitizenKey(lookup, key);
    }

    @Override
    public synchronized Optional<String> pseudonym(String lookup) {
        return keys.values().stream().anyMatch(entry -> entry.pseudonym().equals(lookup) && entry.bytes() != null)
                ? Optional.of(lookup) : Optional.empty();
    }

    @Override
    public synchronized Optional<byte[]> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId)).map(Entry::bytes);
    }

    @Override
    public synchronized boolean exists(String keyId) {
        Entry entry = keys.get(keyId);
        return entry != null && entry.bytes() != null;
    }

    @Override
    public synchronized int destroy(String pseudonym) {
        int destroyed = 0;
        for (Map.Entry<String, Entry> entry : keys.entrySet()) {
            if (entry.getValue().pseudonym().equals(pseudonym) && entry.getValue().bytes() != null) {
                entry.setValue(new Entry(pseudonym, null));
                destroyed++;
            }
        }
        return destroyed;
    }

    public synchronized int size() {
        return keys.size();
    }
}
