package dk.casejourney.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an instance remembers in memory, per case, within a bound: the least recently used entries go first. */
public final class RecentlyUsed {

    private RecentlyUsed() {
    }

    /** A thread-safe map of at most {@code capacity} entries; a read counts as a use. */
    public static <K, V> Map<K, V> map(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }
}
