package dk.casejourney.privacy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * <p>
 * In a batch of commands in one transaction (a bulk import's, {@link KeyBatches}) beside the events, the new
 * citizens' keys are inserted together in one statement just before the transaction commits, instead of one
 * statement each: the directory entry, which settles the citizen's pseudonym, is still inserted at once.
 */
class JdbcCitizenKeys implements KeyStore {

    private final JdbcClient jdbc;
    private final KeyWrites writes;
    private final KeyEncryptionKeys keks;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private record Row(String keyId, String kekId, byte[] wrapped) {
        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("key_id"), rs.getString("kek_id"), rs.getBytes("wrapped_key"));
        }
    }

    JdbcCitizenKeys(JdbcClient jdbc, KeyWrites writes, KeyEncryptionKeys keks, Clock clock) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.keks = keks;
        this.clock = clock;
    }

    /**
     * A citizen seen before: one statement (the directory and the oldest live key together). A new one: the
     * directory entry, then the key; a directory entry this call inserted holds a pseudonym drawn just now, which
     * no key can have yet. Two first uses at the same moment: the directory's primary key lets one pseudonym win
     * and the other call reads it; both may create a key, and both stay valid for what they sealed and are
     * destroyed together, since destruction goes by pseudonym.
     */
    @Override
    public CitizenKey citizen(String lookup) {
        NewKeys batch = batch();
        CitizenKey pending = batch == null ? null : batch.byLookup.get(lookup);
        if (pending != null) {
            return pending;
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
            CitizenKey created = new CitizenKey(pseudonym, new Key(keyId, bytes));
            if (batch != null) {
                batch.add(lookup, created);
            } else {
                insert(keys, pseudonym, keyId, bytes);
            }
            return created;
        });
    }

    /**
     * The current transaction's new keys when it is a batch's beside the events (registered with it at the first
     * use), else null: beside Axon Server keys commit on their own, before the events.
     */
    private NewKeys batch() {
        if (!(writes instanceof KeyWrites.WithTheEvents) || !KeyBatches.active()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        NewKeys batch = (NewKeys) TransactionSynchronizationManager.getResource(this);
        if (batch == null) {
            batch = new NewKeys();
            TransactionSynchronizationManager.bindResource(this, batch);
            TransactionSynchronizationManager.registerSynchronization(batch);
        }
        return batch;
    }

    /** A key created in the current transaction and not inserted yet, if any. */
    private Optional<byte[]> pendingKey(String keyId) {
        NewKeys batch = TransactionSynchronizationManager.isSynchronizationActive()
                ? (NewKeys) TransactionSynchronizationManager.getResource(this) : null;
        return batch == null ? Optional.empty() : Optional.ofNullable(batch.byKeyId.get(keyId));
    }

    /** A batch's new keys, inserted in one statement per thousand just before its transaction commits. */
    private final class NewKeys implements TransactionSynchronization {

        private static final int ROWS_PER_STATEMENT = 1000;
        private final Map<String, CitizenKey> byLookup = new HashMap<>();
        private final Map<String, byte[]> byKeyId = new HashMap<>();

        void add(String lookup, CitizenKey key) {
            byLookup.put(lookup, key);
            byKeyId.put(key.key().keyId(), key.key().bytes());
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            List<CitizenKey> all = List.copyOf(byLookup.values());
            for (int from = 0; from < all.size(); from += ROWS_PER_STATEMENT) {
                List<CitizenKey> chunk = all.subList(from, Math.min(all.size(), from + ROWS_PER_STATEMENT));
                List<Object> params = new ArrayList<>(chunk.size() * 5);
                for (CitizenKey key : chunk) {
                    KeyEncryptionKeys.Wrapped wrapped = keks.wrap(key.key().keyId(), key.key().bytes());
                    params.addAll(List.of(key.key().keyId(), key.pseudonym(), wrapped.kekId(), wrapped.bytes(),
                                          clock.instant().atOffset(ZoneOffset.UTC)));
                }
                jdbc.sql("INSERT INTO citizen_data_key (key_id, pseudonym, kek_id, wrapped_key, created_at) VALUES "
                                 + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)")))
                    .params(params)
                    .update();
            }
        }

        /** A transaction of its own started inside this one (REQUIRES_NEW) inserts its own keys at its commit. */
        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(JdbcCitizenKeys.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(JdbcCitizenKeys.this, this);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(JdbcCitizenKeys.this);
        }
    }

    @Override
    public Optional<String> pseudonym(String lookup) {
        return jdbc.sql("SELECT pseudonym FROM citizen_directory WHERE lookup = ?").param(lookup)
                   .query(String.class).optional();
    }

    @Override
    public Optional<byte[]> key(String keyId) {
        Optional<byte[]> pending = pendingKey(keyId);
        if (pending.isPresent()) {
            return pending;
        }
        return rows(jdbc, "WHERE key_id = ?", keyId).stream().findFirst().map(this::unwrap);
    }

    @Override
    public boolean exists(String keyId) {
        if (pendingKey(keyId).isPresent()) {
            return true;
        }
        return jdbc.sql("SELECT count(*) FROM citizen_data_key WHERE key_id = ?").param(keyId).query(Long.class)
                   .single() > 0;
    }

    @Override
    public Set<String> kept(Collection<String> keyIds) {
        if (keyIds.isEmpty()) {
            return Set.of();
        }
        Set<String> kept = new HashSet<>(jdbc.sql("SELECT key_id FROM citizen_data_key WHERE key_id = ANY(?)")
                                             .param(keyIds.stream().distinct().toArray(String[]::new))
                                             .query(String.class).list());
        keyIds.stream().filter(keyId -> pendingKey(keyId).isPresent()).forEach(kept::add);
        return kept;
    }

    @Override
    public int destroy(String pseudonym) {
        NewKeys batch = TransactionSynchronizationManager.isSynchronizationActive()
                ? (NewKeys) TransactionSynchronizationManager.getResource(this) : null;
        if (batch != null) {
            // Not to be inserted at the commit after all.
            batch.byLookup.values().removeIf(key -> {
                boolean erased = key.pseudonym().equals(pseudonym);
                if (erased) {
                    batch.byKeyId.remove(key.key().keyId());
                }
                return erased;
            });
        }
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
