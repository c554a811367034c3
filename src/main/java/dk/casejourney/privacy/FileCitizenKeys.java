package dk.casejourney.privacy;

import dk.casejourney.privacy.api.CitizenKeyFiles;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The embedded default's key store: one small file per citizen ({@code <pseudonym>.key}: their lookup, their
 * pseudonym and their data keys, wrapped by the key-encryption key), beside the database rather than in it.
 * Deletion is real: an erasure overwrites the file with zeros, forces that to disk, deletes the file and forces
 * the directory, all before the erasure is acknowledged. A page-based database (H2's MVStore, PostgreSQL's heap
 * and WAL) keeps old versions of rows until compaction or vacuum; a file of its own has no other version to
 * keep. Writes go to a temporary file that is forced and renamed over the old one, so a crash leaves the old or
 * the new file, never half of one. What the file system may keep of freed blocks (copy-on-write file systems,
 * SSD wear levelling) is wrapped key material, useless without the key-encryption key (see docs/security.md).
 * <p>
 * A citizen's file is written, forced and renamed (and the directory forced) before the key is answered, under
 * the lock of that citizen's stripe only: new citizens on other stripes are written at the same time (their
 * forces overlap instead of queueing behind one lock), and reading a known citizen's key or pseudonym takes no
 * lock at all. A citizen is indexed for readers only once their file is durable.
 */
final class FileCitizenKeys implements KeyStore {

    private static final String SUFFIX = CitizenKeyFiles.SUFFIX;
    private static final String TEMPORARY = ".tmp";
    private final Path directory;
    private final KeyEncryptionKeys keks;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> pseudonymByLookup = new ConcurrentHashMap<>();
    private final Map<String, Entry> byPseudonym = new ConcurrentHashMap<>();
    private final Map<String, String> pseudonymByKeyId = new ConcurrentHashMap<>();
    /** Writes and erasures of one citizen (by lookup) are serialized; different stripes run at the same time. */
    private final Object[] stripes = new Object[64];
    /** Called with each file about to be forced: lets a test hold a write there. */
    volatile Consumer<Path> forcing = file -> {
    };

    record StoredKey(String keyId, String kekId, String wrapped, String createdAt) {
    }

    record Entry(String lookup, String pseudonym, List<StoredKey> keys) {
    }

    FileCitizenKeys(Path directory, KeyEncryptionKeys keks, Clock clock) {
        this.directory = directory;
        this.keks = keks;
        this.clock = clock;
        Arrays.setAll(stripes, index -> new Object());
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(TEMPORARY)) {
                        // A write interrupted before its rename: the old file (if any) is still whole.
                        shred(file);
                    } else if (name.endsWith(SUFFIX)) {
                        index(json.readValue(file.toFile(), Entry.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the citizen key store " + directory, e);
        }
    }

    private Object stripe(String lookup) {
        return stripes[Math.floorMod(lookup.hashCode(), stripes.length)];
    }

    /** The citizen's first key, if they have one (readers see a citizen only once their file is durable). */
    private CitizenKey known(String lookup) {
        String pseudonym = pseudonymByLookup.get(lookup);
        Entry entry = pseudonym == null ? null : byPseudonym.get(pseudonym);
        if (entry == null || entry.keys().isEmpty()) {
            return null;
        }
        StoredKey first = entry.keys().get(0);
        return new CitizenKey(entry.pseudonym(), new Key(first.keyId(), unwrap(first)));
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
            String pseudonym = pseudonymByLookup.get(lookup);
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String keyId = UUID.randomUUID().toString();
            Entry created = new Entry(lookup, pseudonym == null ? KeyStore.newPseudonym(random) : pseudonym,
                                      List.of(stored(keyId, bytes)));
            write(created);
            return new CitizenKey(created.pseudonym(), new Key(keyId, bytes));
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
            return 0;
        }
        synchronized (stripe(known.lookup())) {
            Entry entry = byPseudonym.remove(pseudonym);
            if (entry == null) {
                return 0;
            }
            pseudonymByLookup.remove(entry.lookup(), pseudonym);
            entry.keys().forEach(key -> pseudonymByKeyId.remove(key.keyId()));
            try {
                shred(file(pseudonym));
                forceDirectory();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot destroy the keys of " + pseudonym, e);
            }
            return entry.keys().size();
        }
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
        if (!pseudonym.matches("[A-Za-z0-9-]+")) {
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
