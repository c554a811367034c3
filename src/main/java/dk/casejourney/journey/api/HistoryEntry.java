package dk.casejourney.journey.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One entry in a case's history. {@code details} is what was recorded (personal data left out);
 * {@code current} is the entry as corrected, only when it was. A correction entry names what it corrects in
 * {@code corrects}; a corrected entry lists its corrections in {@code correctedBy}.
 */
public record HistoryEntry(
        String entryId,
        long sequenceNumber,
        String type,
        Instant occurredAt,
        Instant recordedAt,
        String recordedBy,
        JsonNode details,
        State state,
        JsonNode current,
        String corrects,
        List<String> correctedBy) {

    /** What the entry says now: as corrected, as recorded, or nothing when it is void. */
    public JsonNode effective() {
        return switch (state) {
            case RECORDED -> details;
            case CORRECTED -> current;
            case VOID -> null;
        };
    }

    public enum State {
        /** As recorded, never corrected. */
        RECORDED,
        /** A later correction changed it; {@code current} shows the corrected version. */
        CORRECTED,
        /** A later correction declared it recorded in error. */
        VOID
    }
}
