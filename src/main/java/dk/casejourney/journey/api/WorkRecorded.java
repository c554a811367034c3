package dk.casejourney.journey.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Work done on the case without the citizen, e.g. in a back office. Revision 2 added {@code lifecycle} (the
 * XES lifecycle:transition of an imported event, null otherwise) and {@code attributes} (other attributes of
 * the source, empty when none); revision-1 events are upcast with neither.
 */
@Revision("2")
public record WorkRecorded(
        String caseId,
        String entryId,
        String unit,
        String staffId,
        String activity,
        Instant startedAt,
        Instant endedAt,
        Instant occurredAt,
        String lifecycle,
        Map<String, String> attributes) implements CorrectableEntry {

    public WorkRecorded {
        // Sorted, so the serialized event is the same bytes every time it is written.
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** Work recorded directly, not imported from a log. */
    public WorkRecorded(String caseId, String entryId, String unit, String staffId, String activity,
                        Instant startedAt, Instant endedAt, Instant occurredAt) {
        this(caseId, entryId, unit, staffId, activity, startedAt, endedAt, occurredAt, null, Map.of());
    }
}
