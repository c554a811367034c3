package dk.casejourney.journey.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every command on a case. The entry id is chosen by the caller, so that a retried request can name the
 * same entry; the business times are checked against the ledger's clock before the case sees them.
 */
public interface CaseCommand {

    String caseId();

    String entryId();

    Instant occurredAt();

    /** All business times the command states, by field name; none may lie in the future. */
    default Map<String, Instant> businessTimes() {
        return times("occurredAt", occurredAt());
    }

    /** Pairs of field name and time, leaving out times that are not given. */
    static Map<String, Instant> times(Object... fieldsAndTimes) {
        Map<String, Instant> times = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndTimes.length; i += 2) {
            if (fieldsAndTimes[i + 1] != null) {
                times.put((String) fieldsAndTimes[i], (Instant) fieldsAndTimes[i + 1]);
            }
        }
        return times;
    }
}
