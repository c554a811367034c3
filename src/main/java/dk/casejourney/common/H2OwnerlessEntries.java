package dk.casejourney.common;

import org.h2.engine.Database;
import org.h2.index.Index;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.MVIndex;
import org.h2.mvstore.db.MVTable;
import org.h2.mvstore.tx.Transaction;
import org.h2.schema.Schema;
import org.h2.table.Table;
import org.h2.value.VersionedValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Entries a {@code kill -9} left in an H2 file without an owner, removed when the file is opened again.
 *
 * <p>A store of the file takes the maps one after another while other threads go on, and may take a table after a
 * transaction still open wrote to it but that transaction's undo log before (h2database issue #2080). Killed before
 * the next store, the file holds the entry, marked with the transaction's number, and no undo record of it: H2
 * rolls back what the undo logs name when it opens the file, and leaves this entry. It is never acknowledged (its
 * transaction never committed), yet it is in the way of every later write of its key (a unique-key violation:
 * a read model stuck on one case, an event's place in its case taken), and a transaction that gets the same number
 * reads it as its own. So the first connection to a file that was not closed cleanly, before any other is handed
 * out, restores every such entry to its committed value, or removes it when it had none.
 */
final class H2OwnerlessEntries {

    /** An operation id is the transaction's number above {@value} bits of log id (H2's {@code Transaction}). */
    private static final int LOG_ID_BITS = 40;
    /** H2 writes this into the file's header when it closes the file, and removes it at the first store after. */
    private static final String CLEAN = ",clean:1,";

    private H2OwnerlessEntries() {
    }

    /** Whether the H2 file of this {@code jdbc:h2:file:} URL exists and was not closed cleanly. */
    static boolean leftByAnUncleanStop(String url) {
        String prefix = "jdbc:h2:file:";
        if (url == null || !url.startsWith(prefix)) {
            return false;
        }
        int options = url.indexOf(';');
        String base = url.substring(prefix.length(), options < 0 ? url.length() : options);
        if (base.startsWith("~")) {
            base = System.getProperty("user.home") + base.substring(1);
        }
        Path file = Path.of(base + ".mv.db");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        byte[] header = new byte[4096];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(header, 0, header.length);
            return !new String(header, 0, read, StandardCharsets.ISO_8859_1).contains(CLEAN);
        } catch (IOException e) {
            // Unreadable here: H2 says why when it opens it. A sweep of a file that turns out clean costs time only.
            return true;
        }
    }

    /** Restores or removes every entry of a transaction that is not open; answers how many there were. */
    static int remove(Database database) {
        Set<Integer> open = database.getStore().getTransactionStore().getOpenTransactions().stream()
                                    .map(Transaction::getId).collect(Collectors.toSet());
        Set<MVMap<?, ?>> maps = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Schema schema : database.getAllSchemas()) {
            for (Table table : schema.getAllTablesAndViews(null)) {
                if (table instanceof MVTable) {
                    for (Index index : table.getIndexes()) {
                        if (index instanceof MVIndex<?, ?> stored) {
                            maps.add(stored.getMVMap());
                        }
                    }
                }
            }
        }
        MVStore store = database.getStore().getMvStore();
        // Held while the maps are read: otherwise the background writer may free the chunks of the versions read
        // (a read of a large file takes seconds), as it may once no transaction uses them.
        MVStore.TxCounter reading = store.registerVersionUsage();
        int removed = 0;
        try {
            for (MVMap<?, ?> map : maps) {
                removed += restore(map, open);
            }
        } finally {
            store.deregisterVersionUsage(reading);
        }
        if (removed > 0) {
            store.commit();
        }
        return removed;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> int restore(MVMap<K, ?> raw, Set<Integer> open) {
        MVMap<K, VersionedValue<V>> map = (MVMap<K, VersionedValue<V>>) raw;
        List<K> ownerless = new ArrayList<>();
        Cursor<K, VersionedValue<V>> cursor = map.cursor(null);
        while (cursor.hasNext()) {
            K key = cursor.next();
            long operation = cursor.getValue().getOperationId();
            if (operation != 0 && !open.contains((int) (operation >>> LOG_ID_BITS))) {
                ownerless.add(key);
            }
        }
        for (K key : ownerless) {
            V committed = map.get(key).getCommittedValue();
            if (committed == null) {
                map.remove(key);
            } else {
                // A committed value is stored as itself: every H2 value is a VersionedValue of operation 0.
                map.put(key, (VersionedValue<V>) committed);
            }
        }
        return ownerless.size();
    }
}
