package dk.casejourney.privacy;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Keys in table {@code citizen_key}, in the ledger's own database so that creating or destroying a key
 * commits or rolls back with the events of the same command. No cache: an erasure must hold at once, on
 * every instance.
 */
class JdbcCitizenKeys implements CitizenKeys {

    private static final int KEY_BYTES = 32;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    JdbcCitizenKeys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Two first uses at the same moment may each create a key; both stay valid for what they sealed and are
     * destroyed together, since destruction goes by pseudonym.
     */
    @Override
    public Key currentKey(String pseudonym) {
        Optional<Key> live = jdbc.sql("""
                                      SELECT key_id, key_bytes FROM citizen_key
                                      WHERE pseudonym = ? AND erased_at IS NULL
                                      ORDER BY created_at, key_id""")
                                 .param(pseudonym)
                                 .query((rs, row) -> new Key(rs.getString("key_id"), rs.getBytes("key_bytes")))
                                 .list().stream().findFirst();
        if (live.isPresent()) {
            return live.get();
        }
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        Key key = new Key(UUID.randomUUID().toString(), bytes);
        jdbc.sql("INSERT INTO citizen_key (key_id, pseudonym, key_bytes, created_at) VALUES (?, ?, ?, ?)")
            .params(key.keyId(), pseudonym, bytes, clock.instant().atOffset(ZoneOffset.UTC))
            .update();
        return key;
    }

    @Override
    public Optional<byte[]> key(String keyId) {
        return jdbc.sql("SELECT key_bytes FROM citizen_key WHERE key_id = ? AND erased_at IS NULL")
                   .param(keyId)
                   .query((rs, row) -> rs.getBytes("key_bytes"))
                   .optional();
    }

    @Override
    public int destroy(String pseudonym) {
        return jdbc.sql("UPDATE citizen_key SET key_bytes = NULL, erased_at = ? WHERE pseudonym = ? AND erased_at IS NULL")
                   .params(clock.instant().atOffset(ZoneOffset.UTC), pseudonym)
                   .update();
    }
}
