package dk.casejourney.privacy;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

/**
 * Keys in the ledger's database (tables {@code citizen_directory} and {@code citizen_data_key}), for set-ups
 * where several instances share one database; an erasure holds at once on every instance (no cache).
 * A new key must be readable before any event sealed with it can be, and a destroyed one gone before the
 * erasure's event is seen: with the events in the same database ({@code postgres}) creating or destroying a key
 * commits with the events of the same command; with the events elsewhere (Axon Server, which Axon commits
 * before the database transaction) {@link KeyWrites} commits them on their own first. The keys are wrapped
 * by the key-encryption key, which is never in the database; an erasure deletes the rows. What PostgreSQL
 * keeps of deleted rows (dead tuples until vacuum, WAL, backups) is wrapped key material: see docs/security.md.
 * On PostgreSQL beside the events a citizen, known or new, costs one statement (a data-modifying WITH query);
 * elsewhere a new one costs three.
 */
class JdbcCitizenKeys implements KeyStore {

    private final JdbcClient jdbc;
    private final KeyWrites writes;
    private final KeyEncryptionKeys keks;
    private final Clock clock;
    /** Whether the database runs data-modifying WITH queries (PostgreSQL; H2 does not). */
    private final boolean postgres;
    private final SecureRandom random = new SecureRandom();

    /**
     * A citizen in one round trip: their directory entry and oldest key if they have one; else a new directory
     * entry and key, inserted by the same statement (the key only if the entry was). Nothing comes back when
     * another transaction entered the lookup first (its insert was waited for, then skipped).
     */
    private static final String KNOWN_OR_NEW = """
            WITH known AS (
                SELECT d.pseudonym, k.key_id, k.kek_id, k.wrapped_key
                FROM citizen_directory d LEFT JOIN citizen_data_key k ON k.pseudonym = d.pseudonym
                WHERE d.lookup = ? ORDER BY k.created_at, k.key_id LIMIT 1),
            entered AS (
                INSERT INTO citizen_directory (lookup, pseudonym, created_at)
                SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM known)
                ON CONFLICT DO NOTHING RETURNING pseudonym),
            keyed AS (
                INSERT INTO citizen_data_key (key_id, pseudonym, kek_id, wrapped_key, created_at)
                SELECT ?, pseudonym, ?, ?, ? FROM entered RETURNING key_id)
            SELECT pseudonym, key_id, kek_id, wrapped_key, false AS created FROM known
            UNION ALL
            SELECT (SELECT pseudonym FROM entered), key_id, NULL, NULL, true FROM keyed""";

    private record Row(String keyId, String kekId, byte[] wrapped) {
        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("key_id"), rs.getString("kek_id"), rs.getBytes("wrapped_key"));
        }
    }

    /** @param postgres whether the database is PostgreSQL (a new citizen then costs one statement, not three) */
    JdbcCitizenKeys(JdbcClient jdbc, KeyWrites writes, KeyEncryptionKeys keks, Clock clock, boolean postgres) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.keks = keks;
        this.clock = clock;
        this.postgres = postgres;
    }

    /**
     * On PostgreSQL beside the events, one statement either way ({@link #knownOrNew}), falling back to the path
     * below when it answers nothing. A citizen seen before: one statement (the directory and the oldest live key
     * together). A new one: the directory entry, then the key; a directory entry this call inserted holds a
     * pseudonym drawn just now, which no key can have yet. Two first uses at the same moment: the directory's
     * primary key lets one pseudonym win and the other call reads it; both may create a key, and both stay valid
     * for what they sealed and are destroyed together, since destruction goes by pseudonym.
     */
    @Override
    public CitizenKey citizen(String lookup) {
        // Beside Axon Server keys are written on a pool of their own: a known citizen is read on the command's.
        if (postgres && writes instanceof KeyWrites.WithTheEvents) {
            Optional<CitizenKey> answered = knownOrNew(lookup);
            if (answered.isPresent()) {
                return answered.get();
            }
        }
        Optional<CitizenKey> known = jdbc.sql("SELECT d.pseudonym, k.key_id, k.kek_id, k.wrapped_key "
                                                      + "FROM citizen_directory d JOIN citizen_data_key k "
                                                      + "ON k.pseudonym = d.pseudonym WHERE d.lookup = ? "
                                                      + "ORDER BY k.created_at, k.key_id LIMIT 1")
                                         .param(lookup)
                                         .query((rs, n) -> new CitizenKey(rs.getString("pseudonym"),
                                                                          unwrapped(Row.of(rs))))
                                         .optional();
        if (known.isPresent()) {
            return known.get();
        }
        return writes.inTransaction(keys -> {
            String drawn = KeyStore.newPseudonym(random);
            int inserted = keys.sql("INSERT INTO citizen_directory (lookup, pseudonym, created_at) VALUES (?, ?, ?) "
                                            + "ON CONFLICT DO NOTHING")
                               .params(lookup, drawn, clock.instant().atOffset(ZoneOffset.UTC))
                               .update();
            String pseudonym = drawn;
            if (inserted == 0) {
                pseudonym = keys.sql("SELECT pseudonym FROM citizen_directory WHERE lookup = ?").param(lookup)
                                .query(String.class).single();
                Optional<Row> live = rows(keys, "WHERE pseudonym = ? ORDER BY created_at, key_id", pseudonym).stream()
                                                                                                          .findFirst();
                if (live.isPresent()) {
                    return new CitizenKey(pseudonym, unwrapped(live.get()));
                }
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String keyId = UUID.randomUUID().toString();
            insert(keys, pseudonym, keyId, bytes);
            return new CitizenKey(pseudonym, new Key(keyId, bytes));
        });
    }

    /**
     * The citizen's key in one statement, or empty when another transaction entered them first or they have a
     * directory entry without a key (the slower path settles both). The new key is drawn before asking, so that a
     * new citizen costs no second round trip; for a known one it is simply not used.
     */
    private Optional<CitizenKey> knownOrNew(String lookup) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String keyId = UUID.randomUUID().toString();
        String drawn = KeyStore.newPseudonym(random);
        KeyEncryptionKeys.Wrapped wrapped = keks.wrap(keyId, bytes);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        List<Optional<CitizenKey>> answers = jdbc.sql(KNOWN_OR_NEW)
                   .params(lookup, lookup, drawn, now, keyId, wrapped.kekId(), wrapped.bytes(), now)
                   .query((rs, n) -> {
                       if (rs.getBoolean("created")) {
                           return Optional.of(new CitizenKey(drawn, new Key(keyId, bytes)));
                       }
                       return rs.getString("key_id") == null ? Optional.<CitizenKey>empty()
                               : Optional.of(new CitizenKey(rs.getString("pseudonym"), unwrapped(Row.of(rs))));
                   })
                   .list();
        return answers.isEmpty() ? Optional.empty() : answers.get(0);
    }

    @Override
    public Optional<String> pseudonym(String lookup) {
        return jdbc.sql("SELECT pseudonym FROM citizen_directory WHERE lookup = ?").param(lookup)
                   .query(String.class).optional();
    }

    @Override
    public Optional<byte[]> key(String keyId) {
        return rows(jdbc, "WHERE key_id = ?", keyId).stream().findFirst().map(this::unwrap);
    }

    @Override
    public boolean exists(String keyId) {
        return jdbc.sql("SELECT count(*) FROM citizen_data_key WHERE key_id = ?").param(keyId).query(Long.class)
                   .single() > 0;
    }

    @Override
    public Set<String> kept(Collection<String> keyIds) {
        if (keyIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT key_id FROM citizen_data_key WHERE key_id = ANY(?)")
                                 .param(keyIds.stream().distinct().toArray(String[]::new))
                                 .query(String.class).list());
    }

    @Override
    public int destroy(String pseudonym) {
        return writes.inTransaction(keys -> {
            keys.sql("DELETE FROM citizen_directory WHERE pseudonym = ?").param(pseudonym).update();
            return keys.sql("DELETE FROM citizen_data_key WHERE pseudonym = ?").param(pseudonym).update();
        });
    }

    @Override
    public void adopt(String lookup, String pseudonym, String keyId, byte[] key) {
        jdbc.sql("INSERT INTO citizen_directory (lookup, pseudonym, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .params(lookup, pseudonym, clock.instant().atOffset(ZoneOffset.UTC))
            .update();
        if (rows(jdbc, "WHERE key_id = ?", keyId).isEmpty()) {
            insert(jdbc, pseudonym, keyId, key);
        }
    }

    @Override
    public int rewrap() {
        List<Row> old = rows(jdbc, "WHERE kek_id <> ?", keks.currentId());
        for (Row row : old) {
            KeyEncryptionKeys.Wrapped wrapped = keks.wrap(row.keyId(), unwrap(row));
            jdbc.sql("UPDATE citizen_data_key SET kek_id = ?, wrapped_key = ? WHERE key_id = ?")
                .params(wrapped.kekId(), wrapped.bytes(), row.keyId())
                .update();
        }
        return old.size();
    }

    private void insert(JdbcClient jdbc, String pseudonym, String keyId, byte[] bytes) {
        KeyEncryptionKeys.Wrapped wrapped = keks.wrap(keyId, bytes);
        jdbc.sql("INSERT INTO citizen_data_key (key_id, pseudonym, kek_id, wrapped_key, created_at) VALUES (?, ?, ?, ?, ?)")
            .params(keyId, pseudonym, wrapped.kekId(), wrapped.bytes(), clock.instant().atOffset(ZoneOffset.UTC))
            .update();
    }

    private static List<Row> rows(JdbcClient jdbc, String where, String param) {
        return jdbc.sql("SELECT key_id, kek_id, wrapped_key FROM citizen_data_key " + where)
                   .param(param)
                   .query((rs, n) -> Row.of(rs))
                   .list();
    }

    private Key unwrapped(Row row) {
        return new Key(row.keyId(), unwrap(row));
    }

    private byte[] unwrap(Row row) {
        return keks.unwrap(row.keyId(), new KeyEncryptionKeys.Wrapped(row.kekId(), row.wrapped()));
    }
}
