package dk.casejourney.privacy;

import dk.casejourney.privacy.api.CitizenKeyFiles;

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
 * The embedded default's key store: citizens' entries (their lookup, their pseudonym and their data keys, wrapped
 * by the key-encryption key) in small files beside the database rather than in it. Deletion is real: an erasure
 * overwrites the citizen's entry with zeros where it lies and forces that to disk before the erasure is
 * acknowledged, and a file left with no entry is deleted and the directory forced. A page-based database (H2's
 * MVStore, PostgreSQL's heap and WAL) keeps old versions of rows until compaction or vacuum; these files are only
 * ever appended to, overwritten in place or replaced whole, so they keep no other version of an entry. A change of
 * a citizen's entry goes to a temporary file that is forced and renamed to {@code <pseudonym>.key}, so a crash
 * leaves the old or the new entry, never half of one. What the file system may keep of freed blocks
 * (copy-on-write file systems, SSD wear levelling) is wrapped key material, useless without the key-encryption
 * key (see docs/security.md).
 * <p>
 * A new citizen's entry is written under the lock of that citizen's stripe only: new citizens on other stripes are
 * written at the same time, and reading a known citizen's key or pseudonym takes no lock at all. A citizen is
 * indexed for readers only once their entry is durable. Alone, a new citizen's entry is a file of its own,
 * {@code <pseudonym>.key}, written where it stays (no temporary file, no rename) and forced, then the directory,
 * before the key is answered. In a batch of commands in one database transaction (a bulk import's,
 * {@link KeyBatches}) the new entries are instead appended, one line each, to one file of that transaction's own
 * ({@code batch-<id>.key}), which is forced, and the directory once, just before that transaction commits: no event
 * sealed with a key can be committed before the key is on disk, and a batch of hundreds of new citizens creates and
 * forces one file instead of hundreds (creating and forcing a file each was a fifth of a bulk import's CPU). Until
 * then such a citizen is known to writers only, so that a second command for the same citizen uses the same key
 * and makes it durable with its own commit. Beside Axon Server (which stores a command's events before the
 * database transaction commits) every entry is a file of its own forced before the key is answered. A crash before
 * a force can leave an entry empty, zeros or cut short; nothing committed used its key, so start-up overwrites it
 * with zeros (see docs/reliability.md).
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
    /** Where each citizen's entry lies, by pseudonym; changed under the citizen's stripe. */
    private final Map<String, Location> locations = new ConcurrentHashMap<>();
    /** The entries still readable in each file, and whether a transaction still appends to it. */
    private final Map<Path, FileEntries> files = new ConcurrentHashMap<>();
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

    /** An entry's bytes in a file: the whole file for a citizen's own, one line of a batch's file. */
    private record Location(Path file, long offset, int length) {
    }

    /** Entries still readable in one file; the file goes once none is left and no transaction appends to it. */
    private static final class FileEntries {
        private int live;
        private boolean open;

        FileEntries(int live, boolean open) {
            this.live = live;
            this.open = open;
        }
    }

    /** An entry found in a file at start-up. */
    private record Found(Entry entry, Location location) {
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
        try {
            Files.createDirectories(directory);
            List<Found> found = new ArrayList<>();
            List<Location> unfinished = new ArrayList<>();
            try (Stream<Path> listed = Files.list(directory)) {
                for (Path file : listed.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(TEMPORARY)) {
                        // A write interrupted before its rename: the old file (if any) is still whole.
                        shred(file);
                    } else if (name.endsWith(SUFFIX)) {
                        files.put(file, new FileEntries(0, false));
                        read(file, found, unfinished);
                    }
                }
            }
            List<Location> superseded = new ArrayList<>();
            for (Found each : found) {
                String pseudonym = each.entry().pseudonym();
                Location earlier = locations.get(pseudonym);
                // A citizen's own file was written after any batch line of theirs (a change moves them out).
                boolean own = each.location().file().getFileName().toString().equals(pseudonym + SUFFIX);
                if (earlier != null && !own) {
                    superseded.add(each.location());
                    continue;
                }
                if (earlier != null) {
                    superseded.add(earlier);
                    files.get(earlier.file()).live--;
                }
                files.get(each.location().file()).live++;
                locations.put(pseudonym, each.location());
                index(each.entry());
            }
            // Nothing committed relied on an unfinished entry, and a superseded one was replaced: both go.
            for (Location gone : Stream.concat(unfinished.stream(), superseded.stream()).toList()) {
                if (files.get(gone.file()).live > 0) {
                    zero(gone);
                }
            }
            int removed = 0;
            for (Map.Entry<Path, FileEntries> file : List.copyOf(files.entrySet())) {
                if (file.getValue().live == 0) {
                    files.remove(file.getKey());
                    shred(file.getKey());
                    removed++;
                }
            }
            if (removed > 0) {
                forceDirectory();
            }
            if (!unfinished.isEmpty()) {
                log.warn("Removed {} citizen key entries in {} that a crash left unfinished: each was written for a "
                                 + "transaction that never committed", unfinished.size(), directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the citizen key store " + directory, e);
        }
    }

    /**
     * The entries of a key file, one per line (a citizen's own file holds one, without a line end), with the
     * parts that are not whole: cut short, or with zeros where a crash left blocks unwritten. Every entry a
     * committed transaction relied on was forced before that commit, so it is whole; a line erased by an erasure is
     * all zeros and is skipped. A whole line that is unreadable for another reason (not the product's) stops
     * start-up.
     */
    private void read(Path file, List<Found> found, List<Location> unfinished) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            Location location = new Location(file, start, end - start);
            if (end > start && !zeros(bytes, start, end)) {
                if (indexOfZero(bytes, start, end) >= 0) {
                    // Zeros in a line: blocks a crash left unwritten, or an erasure the crash interrupted.
                    unfinished.add(location);
                } else {
                    try {
                        found.add(new Found(json.readValue(bytes, start, end - start, Entry.class), location));
                    } catch (IOException e) {
                        // The product writes one JSON object per line: one that does not end its object was cut
                        // short by a crash.
                        if (bytes[end - 1] == '}') {
                            throw new IOException("citizen key file " + file.getFileName()
                                                          + " is whole but not readable", e);
                        }
                        unfinished.add(location);
                    }
                }
            }
            start = end + 1;
        }
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int at = from; at < to; at++) {
            if (bytes[at] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfZero(byte[] bytes, int from, int to) {
        for (int at = from; at < to; at++) {
            if (bytes[at] == 0) {
                return at;
            }
        }
        return -1;
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
                pending().append(created);
                unforced.put(lookup, created);
            } else {
                writeNew(created);
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

    /** Whether new entries wait for the commit of the batch's transaction ({@link KeyBatches}). */
    private boolean inBatch() {
        return forcedWithTheTransaction && KeyBatches.active()
                && TransactionSynchronizationManager.isSynchronizationActive();
    }

    /**
     * A new citizen's file of their own, where it stays, forced, and the directory, before the key is answered.
     * A file that could not be made durable is shredded: left behind whole, it would be a second citizen of the
     * same lookup.
     */
    private void writeNew(Entry entry) {
        Path file = file(entry.pseudonym());
        try {
            byte[] bytes = json.writeValueAsBytes(entry);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                                                        StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                forcing.accept(file);
                channel.force(true);
            }
            forceDirectory();
            files.put(file, new FileEntries(1, false));
            locations.put(entry.pseudonym(), new Location(file, 0, bytes.length));
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
     * Makes a batch's new citizen's entry durable before the current database transaction commits, with the
     * batch's other new entries, when this transaction is a batch's too; else now.
     */
    private void forcedBeforeCommit(Entry entry) {
        if (!inBatch()) {
            force(List.of(entry), null);
            return;
        }
        pending().entries.add(entry);
    }

    /** The current transaction's new entries, registered with it at the first. */
    private Unforced pending() {
        Unforced pending = (Unforced) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Unforced();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        return pending;
    }

    /**
     * The new entries of one transaction, appended to a file of its own and forced before it commits; a failed
     * force rolls it back. Entries of other transactions that this one uses are forced with it, in their files.
     */
    private final class Unforced implements TransactionSynchronization {

        private final Set<Entry> entries = new LinkedHashSet<>();
        private Path file;
        private FileChannel channel;
        private long end;

        /** Appends a new citizen's entry as one line, not forced (under the citizen's stripe). */
        void append(Entry entry) {
            try {
                byte[] bytes = json.writeValueAsBytes(entry);
                if (channel == null) {
                    Path created = directory.resolve("batch-" + UUID.randomUUID() + SUFFIX);
                    channel = FileChannel.open(created, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    file = created;
                    files.put(file, new FileEntries(0, true));
                }
                ByteBuffer line = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
                for (long at = end; line.hasRemaining(); ) {
                    at += channel.write(line, at);
                }
                Location location = new Location(file, end, bytes.length);
                end += bytes.length + 1;
                FileEntries entries = files.get(file);
                synchronized (entries) {
                    entries.live++;
                }
                locations.put(entry.pseudonym(), location);
                this.entries.add(entry);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the citizen key store " + directory, e);
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            force(entries, this);
        }

        /** A transaction of its own started inside this one (REQUIRES_NEW) forces its own entries at its commit. */
        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(FileCitizenKeys.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(FileCitizenKeys.this, this);
        }

        /**
         * The file is closed; its entries stay, forced or not (a rolled-back batch's citizen's next case uses the
         * key), and the file goes if every entry in it was erased meanwhile.
         */
        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(FileCitizenKeys.this);
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("Could not close the citizen key file {}: {}", file.getFileName(), e.toString());
            }
            FileEntries entries = files.get(file);
            synchronized (entries) {
                entries.open = false;
                if (entries.live == 0) {
                    removeEmpty(file);
                }
            }
        }
    }

    /**
     * Forces each file holding an entry still unforced, then the directory once, then indexes the citizens for
     * readers. An entry erased in the meantime is skipped: its key is gone, as for any key erased after it sealed
     * something.
     *
     * @param own the transaction whose own file is open for appending, or null
     */
    private void force(Collection<Entry> entries, Unforced own) {
        List<Entry> waiting = new ArrayList<>(entries.size());
        Set<Path> toForce = new LinkedHashSet<>();
        for (Entry entry : entries) {
            Location location = locations.get(entry.pseudonym());
            if (unforced.get(entry.lookup()) == entry && location != null) {
                waiting.add(entry);
                toForce.add(location.file());
            } // else forced and indexed by another transaction that used it, or erased
        }
        Set<Path> gone = new LinkedHashSet<>();
        try {
            for (Path file : toForce) {
                forcing.accept(file);
                if (own != null && file.equals(own.file)) {
                    own.channel.force(true);
                    continue;
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                } catch (NoSuchFileException erased) {
                    gone.add(file);
                }
            }
            if (toForce.size() > gone.size()) {
                forceDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force the citizen key store " + directory, e);
        }
        for (Entry entry : waiting) {
            synchronized (stripe(entry.lookup())) {
                Location location = locations.get(entry.pseudonym());
                if (location != null && !gone.contains(location.file()) && unforced.remove(entry.lookup(), entry)) {
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

    /** Erases the citizen's entry where it lies; answers how many keys it held. */
    private int shredded(Entry entry) {
        try {
            Location location = locations.remove(entry.pseudonym());
            if (location != null) {
                release(location);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot destroy the keys of " + entry.pseudonym(), e);
        }
        return entry.keys().size();
    }

    /**
     * An entry no longer wanted (erased, or moved to a file of its own): its bytes overwritten with zeros and
     * forced, or its whole file shredded and the directory forced when no other entry is left in it and no
     * transaction appends to it.
     */
    private void release(Location location) throws IOException {
        FileEntries entries = files.get(location.file());
        if (entries == null) {
            // Not known as a file of entries (shredded meanwhile): whatever is there is overwritten all the same.
            try {
                zero(location);
            } catch (NoSuchFileException shredded) {
                // gone with its file
            }
            return;
        }
        synchronized (entries) {
            entries.live--;
            if (entries.live == 0 && !entries.open) {
                removeEmpty(location.file());
            } else {
                zero(location);
            }
        }
    }

    /** Shreds a file that holds no entry any more and forces the directory (under the file's entries). */
    private void removeEmpty(Path file) {
        try {
            files.remove(file);
            shred(file);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the citizen key file " + file.getFileName(), e);
        }
    }

    /** Overwrites an entry's bytes with zeros on disk, where they lie. */
    private static void zero(Location location) throws IOException {
        try (FileChannel channel = FileChannel.open(location.file(), StandardOpenOption.WRITE)) {
            overwrite(channel, location.offset(), location.length());
            channel.force(true);
        }
    }

    /** Writes zeros over {@code length} bytes from {@code from}, in pieces of at most 64 KiB. */
    private static void overwrite(FileChannel channel, long from, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 16));
        for (long at = from; at < from + length; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), from + length - at));
            at += channel.write(zeros, at);
        }
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
        int length;
        try {
            byte[] bytes = json.writeValueAsBytes(entry);
            length = bytes.length;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                                                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                forcing.accept(target);
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the citizen key store " + directory, e);
        }
        files.put(target, new FileEntries(1, false));
        Location moved = locations.put(entry.pseudonym(), new Location(target, 0, length));
        Entry earlier = byPseudonym.get(entry.pseudonym());
        // Indexed before the earlier keys are dropped: a key kept (adopted, rewrapped) never reads as missing.
        index(entry);
        if (earlier != null) {
            earlier.keys().stream().map(StoredKey::keyId)
                   .filter(keyId -> entry.keys().stream().noneMatch(key -> key.keyId().equals(keyId)))
                   .forEach(pseudonymByKeyId::remove);
        }
        if (moved != null && !moved.file().equals(target)) {
            try {
                // The citizen's line in a batch's file: their own file holds it now (start-up prefers it too).
                release(moved);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the citizen key store " + directory, e);
            }
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
            overwrite(channel, 0, channel.size());
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
