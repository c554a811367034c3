package dk.casejourney.privacy;

import dk.casejourney.privacy.api.CitizenKeyFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Base64;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.regex.Pattern;

/**
 * The embedded default's key store: one small file per citizen ({@code <pseudonym>.key}: their lookup, their
 * pseudonym and their data keys, wrapped by the key-encryption key), beside the database rather than in it.
 * Deletion is real: an erasure overwrites the file with zeros, forces that to disk, deletes the file and forces
 * the directory, all before the erasure is acknowledged. A page-based database (H2's MVStore, PostgreSQL's heap
 * and WAL) keeps old versions of rows until compaction or vacuum; a file of its own has no other version to
 * keep. A change of a citizen's file goes to a temporary file that is forced and renamed over the old one, so a
 * crash leaves the old or the new file, never half of one. What the file system may keep of freed blocks
 * (copy-on-write file systems, SSD wear levelling) is wrapped key material, useless without the key-encryption
 * key (see docs/security.md).
 * <p>
 * A new citizen's file is written under the lock of that citizen's stripe only: new citizens on other stripes are
 * written at the same time, and reading a known citizen's key or pseudonym takes no lock at all. A citizen is
 * indexed for readers only once their file is durable. The file is new, so it is written where it stays (no
 * temporary file, no rename) and forced, then the directory, before the key is answered. In a batch of commands
 * in one database transaction (a bulk import's, {@link KeyBatches}) the new files are forced instead just before
 * that transaction commits, each file and then the directory once: no event sealed with a key can be committed
 * before the key is on disk, and a batch of hundreds of new citizens pays one directory force instead of
 * hundreds. Until then such a citizen is known to writers only, so that a second command for the same citizen
 * uses the same key and makes it durable with its own commit. Beside Axon Server (which stores a command's events
 * before the database transaction commits) every file is forced before the key is answered. A crash before the
 * force can leave a new file empty or cut short; nothing committed used its key, so start-up removes it (see
 * docs/reliability.md).
 */
final class FileCitizenKeys implements KeyStore {

    private static final Logger log = LoggerFactory.getLogger(FileCitizenKeys.class);
    private static final String SUFFIX = CitizenKeyFiles.SUFFIX;
    /** What a key file may be named after (compiled once: every key read and write names its file). */
    private static final Pattern PSEUDONYM = Pattern.compile("[A-Za-z0-9-]+");
    private static final String TEMPORARY = ".tmp";
    private final Path directory;
    private final KeyEncryptionKeys keks;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> pseudonymByLookup = new ConcurrentHashMap<>();
    private final Map<String, Entry> byPseudonym = new ConcurrentHashMap<>();
    private final Map<String, String> pseudonymByKeyId = new ConcurrentHashMap<>();
    /** New citizens written but not yet forced, by lookup: seen by writers only, under their stripe. */
    private final Map<String, Entry> unforced = new ConcurrentHashMap<>();
    /** Writes and erasures of one citizen (by lookup) are serialized; different stripes run at the same time. */
    private final Object[] stripes = new Object[64];
    /** Whether a batch's new files may wait for the end of the database transaction they are written in. */
    private final boolean forcedWithTheTransaction;
    /** Called with each file, and the directory, about to be forced: lets a test hold or count forces. */
    volatile Consumer<Path> forcing = file -> {
    };

    record StoredKey(String keyId, String kekId, String wrapped, String createdAt) {
    }

    record Entry(String lookup, String pseudonym, List<StoredKey> keys) {
    }

    /** Every file forced before the key is answered. */
    FileCitizenKeys(Path directory, KeyEncryptionKeys keks, Clock clock) {
        this(directory, keks, clock, false);
    }

    /**
     * @param forcedWithTheTransaction whether a batch's new files may be forced just before the database
     *                                 transaction they are written in commits (not beside Axon Server)
     */
    FileCitizenKeys(Path directory, KeyEncryptionKeys keks, Clock clock, boolean forcedWithTheTransaction) {
        this.directory = directory;
        this.keks = keks;
        this.clock = clock;
        this.forcedWithTheTransaction = forcedWithTheTransaction;
        Arrays.setAll(stripes, index -> new Object());
        int unfinished = 0;
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(TEMPORARY)) {
                        // A write interrupted before its rename: the old file (if any) is still whole.
                        shred(file);
                    } else if (name.endsWith(SUFFIX)) {
                        Optional<Entry> entry = read(file);
                        if (entry.isPresent()) {
                            index(entry.get());
                        } else {
                            // A new file cut short by a crash before its force: no commit used its key.
                            shred(file);
                            unfinished++;
                        }
                    }
                }
            }
            if (unfinished > 0) {
                forceDirectory();
                log.warn("Removed {} citizen key files in {} that a crash left unfinished: each was written for a "
                                 + "transaction that never committed", unfinished, directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the citizen key store " + directory, e);
        }
    }

    /**
     * The entry in a key file, or empty when the file is not whole (empty, zeros or cut short). Every file a
     * committed transaction relied on was forced before that commit, so it is whole; a file that is whole but
     * unreadable for another reason (not the product's) stops start-up.
     */
    private Optional<Entry> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return Optional.of(json.readValue(bytes, Entry.class));
        } catch (JsonProcessingException e) {
            // The product writes one JSON object: a file that does not end its object was cut short (or is zeros).
            if (bytes.length == 0 || bytes[bytes.length - 1] != '}') {
                return Optional.empty();
            }
            throw new IOException("citizen key file " + file.getFileName() + " is whole but not readable", e);
        }
    }

    private Object stripe(String lookup) {
        return stripes[Math.floorMod(lookup.hashCode(), stripes.length)];
    }

    /** The citizen's first key, if they have one (readers see a citizen only once their file is durable). */
    private CitizenKey known(String lookup) {
        String pseudonym = pseudonymByLookup.get(lookup);
        Entry entry = pseudonym == null ? null : byPseudonym.get(pseudonym);
        return entry == null || entry.keys().isEmpty() ? null : first(entry);
    }

    @Override
    public CitizenKey citizen(String lookup) {
        CitizenKey known = known(lookup);
        if (known != null) {
            return known;
        }
        synchronized (stripe(lookup)) {
            // Another thread may have written this citizen while this one waited.
            known = known(lookup);
            if (known != null) {
                return known;
            }
            Entry waiting = unforced.get(lookup);
            if (waiting != null) {
                // A batch's citizen, not durable yet: durable before this transaction commits too.
                forcedBeforeCommit(waiting);
                return first(waiting);
            }
            String pseudonym = pseudonymByLookup.get(lookup);
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String keyId = UUID.randomUUID().toString();
            Entry created = new Entry(lookup, pseudonym == null ? KeyStore.newPseudonym(random) : pseudonym,
                                      List.of(stored(keyId, bytes)));
            if (pseudonym != null) {
                // A file to replace (a citizen without keys): written whole and renamed, as any other change.
                write(created);
            } else if (inBatch()) {
                writeNew(created, false);
                unforced.put(lookup, created);
                forcedBeforeCommit(created);
            } else {
                writeNew(created, true);
                index(created);
            }
            // The key in hand: unwrapping what was just wrapped would cost a cipher for nothing.
            return new CitizenKey(created.pseudonym(), new Key(keyId, bytes));
        }
    }

    private CitizenKey first(Entry entry) {
        StoredKey first = entry.keys().get(0);
        return new CitizenKey(entry.pseudonym(), new Key(first.keyId(), unwrap(first)));
    }

    /** Whether new files wait for the commit of the batch's transaction ({@link KeyBatches}). */
    private boolean inBatch() {
        return forcedWithTheTransaction && KeyBatches.active()
                && TransactionSynchronizationManager.isSynchronizationActive();
    }

    /**
     * A new citizen's file, where it stays; forced, and the directory, when {@code durable}. A file that could
     * not be made durable is shredded: left behind whole, it would be a second citizen of the same lookup.
     */
    private void writeNew(Entry entry, boolean durable) {
        Path file = file(entry.pseudonym());
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                                                        StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(json.writeValueAsBytes(entry)));
                if (durable) {
                    forcing.accept(file);
                    channel.force(true);
                }
            }
            if (durable) {
                forceDirectory();
            }
        } catch (IOException | RuntimeException e) {
            try {
                shred(file);
            } catch (IOException notShredded) {
                e.addSuppressed(notShredded);
            }
            throw e instanceof IOException io
                    ? new UncheckedIOException("cannot write the citizen key store " + directory, io)
                    : (RuntimeException) e;
        }
    }

    /**
     * Makes the batch's new citizen's file durable before the current database transaction commits, with the
     * batch's other new files, when this transaction is a batch's too; else now.
     */
    private void forcedBeforeCommit(Entry entry) {
        if (!inBatch()) {
            force(List.of(entry));
            return;
        }
        Unforced pending = (Unforced) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Unforced();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.entries.add(entry);
    }

    /** The new files of one transaction, forced before it commits; a failed force rolls it back. */
    private final class Unforced implements TransactionSynchronization {

        private final Set<Entry> entries = new LinkedHashSet<>();

        @Override
        public void beforeCommit(boolean readOnly) {
            force(entries);
        }

        /** A transaction of its own started inside this one (REQUIRES_NEW) forces its own files at its commit. */
        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(FileCitizenKeys.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(FileCitizenKeys.this, this);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(FileCitizenKeys.this);
        }
    }

    /**
     * Forces each file still unforced, then the directory once, then indexes the citizens for readers. A file
     * erased in the meantime is skipped: its key is gone, as for any key erased after it sealed something.
     */
    private void force(Collection<Entry> entries) {
        List<Entry> forced = new ArrayList<>(entries.size());
        try {
            for (Entry entry : entries) {
                if (unforced.get(entry.lookup()) != entry) {
                    continue; // forced and indexed by another transaction that used it, or erased
                }
                Path file = file(entry.pseudonym());
                forcing.accept(file);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                } catch (NoSuchFileException erased) {
                    continue;
                }
                forced.add(entry);
            }
            if (!forced.isEmpty()) {
                forceDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force the citizen key store " + directory, e);
        }
        for (Entry entry : forced) {
            synchronized (stripe(entry.lookup())) {
                if (unforced.remove(entry.lookup(), entry)) {
                    index(entry);
                }
            }
        }
    }

    @Override
    public Optional<String> pseudonym(String lookup) {
        return Optional.ofNullable(pseudonymByLookup.get(lookup));
    }

    @Override
    public Optional<byte[]> key(String keyId) {
        return stored(keyId).map(this::unwrap);
    }

    @Override
    public boolean exists(String keyId) {
        return stored(keyId).isPresent();
    }

    private Optional<StoredKey> stored(String keyId) {
        String pseudonym = pseudonymByKeyId.get(keyId);
        Entry entry = pseudonym == null ? null : byPseudonym.get(pseudonym);
        if (entry == null) {
            return Optional.empty();
        }
        return entry.keys().stream().filter(key -> key.keyId().equals(keyId)).findFirst();
    }

    @Override
    public int destroy(String pseudonym) {
        Entry known = byPseudonym.get(pseudonym);
        if (known == null) {
            int unforcedKeys = destroyUnforced(pseudonym);
            known = byPseudonym.get(pseudonym); // indexed while that looked
            if (unforcedKeys > 0 || known == null) {
                return unforcedKeys;
            }
        }
        synchronized (stripe(known.lookup())) {
            Entry entry = byPseudonym.remove(pseudonym);
            if (entry == null) {
                return 0;
            }
            pseudonymByLookup.remove(entry.lookup(), pseudonym);
            entry.keys().forEach(key -> pseudonymByKeyId.remove(key.keyId()));
            return shredded(entry);
        }
    }

    /** Shreds the citizen's file and forces the directory; answers how many keys the file held. */
    private int shredded(Entry entry) {
        try {
            shred(file(entry.pseudonym()));
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot destroy the keys of " + entry.pseudonym(), e);
        }
        return entry.keys().size();
    }

    /** A citizen only writers know yet (its transaction has not committed, or rolled back). */
    private int destroyUnforced(String pseudonym) {
        for (Entry entry : unforced.values()) {
            if (entry.pseudonym().equals(pseudonym)) {
                synchronized (stripe(entry.lookup())) {
                    if (!unforced.remove(entry.lookup(), entry)) {
                        return destroy(pseudonym); // indexed meanwhile
                    }
                    return shredded(entry);
                }
            }
        }
        return 0;
    }

    @Override
    public void adopt(String lookup, String pseudonym, String keyId, byte[] key) {
        synchronized (stripe(lookup)) {
            Entry earlier = byPseudonym.get(pseudonym);
            List<StoredKey> keys = new ArrayList<>(earlier == null ? List.of() : earlier.keys());
            if (keys.stream().noneMatch(stored -> stored.keyId().equals(keyId))) {
                keys.add(stored(keyId, key));
            }
            write(new Entry(lookup, pseudonym, keys));
        }
    }

    @Override
    public int rewrap() {
        int rewrapped = 0;
        for (Entry listed : List.copyOf(byPseudonym.values())) {
            synchronized (stripe(listed.lookup())) {
                Entry entry = byPseudonym.get(listed.pseudonym());
                if (entry == null || entry.keys().stream().allMatch(key -> key.kekId().equals(keks.currentId()))) {
                    continue;
                }
                List<StoredKey> keys = entry.keys().stream()
                                            .map(key -> key.kekId().equals(keks.currentId()) ? key
                                                    : stored(key.keyId(), unwrap(key)))
                                            .toList();
                write(new Entry(entry.lookup(), entry.pseudonym(), keys));
                rewrapped++;
            }
        }
        return rewrapped;
    }

    private StoredKey stored(String keyId, byte[] bytes) {
        KeyEncryptionKeys.Wrapped wrapped = keks.wrap(keyId, bytes);
        return new StoredKey(keyId, wrapped.kekId(), Base64.getEncoder().encodeToString(wrapped.bytes()),
                             clock.instant().toString());
    }

    private byte[] unwrap(StoredKey key) {
        return keks.unwrap(key.keyId(), new KeyEncryptionKeys.Wrapped(key.kekId(),
                                                                      Base64.getDecoder().decode(key.wrapped())));
    }

    private void write(Entry entry) {
        Path target = file(entry.pseudonym());
        Path temporary = directory.resolve(entry.pseudonym() + SUFFIX + TEMPORARY);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                                                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(json.writeValueAsBytes(entry)));
                forcing.accept(target);
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the citizen key store " + directory, e);
        }
        Entry earlier = byPseudonym.get(entry.pseudonym());
        // Indexed before the earlier keys are dropped: a key kept (adopted, rewrapped) never reads as missing.
        index(entry);
        if (earlier != null) {
            earlier.keys().stream().map(StoredKey::keyId)
                   .filter(keyId -> entry.keys().stream().noneMatch(key -> key.keyId().equals(keyId)))
                   .forEach(pseudonymByKeyId::remove);
        }
    }

    /** The lookup last: a reader that finds the citizen by it finds their entry and keys too. */
    private void index(Entry entry) {
        byPseudonym.put(entry.pseudonym(), entry);
        entry.keys().forEach(key -> pseudonymByKeyId.put(key.keyId(), entry.pseudonym()));
        pseudonymByLookup.put(entry.lookup(), entry.pseudonym());
    }

    private Path file(String pseudonym) {
        if (!PSEUDONYM.matcher(pseudonym).matches()) {
            throw new IllegalArgumentException("not a pseudonym: " + pseudonym);
        }
        return directory.resolve(pseudonym + SUFFIX);
    }

    /** Overwrites the file's bytes with zeros on disk, then deletes it. */
    private static void shred(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 1 << 16));
            for (long at = 0; at < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                at += channel.write(zeros, at);
            }
            channel.force(true);
        }
        Files.delete(file);
    }

    private void forceDirectory() throws IOException {
        forcing.accept(directory);
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for forcing; the file itself was forced.
        }
    }

    @Override
    public String toString() {
        return "FileCitizenKeys[" + directory + "]";
    }
}
