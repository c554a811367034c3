package dk.casejourney.audit.api;

import java.time.Instant;
import java.util.List;

/**
 * The events a processing group parked in its dead-letter queue, case by case (a case's later events wait
 * behind its first failing one, in order).
 *
 * @param letters every parked event
 * @param cases   the cases (sequences) with parked events
 */
public record DeadLetterList(String processingGroup, long letters, long cases, List<ParkedCase> parked) {

    public DeadLetterList {
        parked = List.copyOf(parked);
    }

    public record ParkedCase(String caseId, List<Letter> letters) {

        public ParkedCase {
            letters = List.copyOf(letters);
        }
    }

    /**
     * @param cause type and message of the failure (anything shaped like a CPR number masked); null for events
     *              parked only because an earlier event of their case is
     */
    public record Letter(String eventId, String eventType, Long sequenceNumber, Instant enqueuedAt,
                         Instant lastTouched, String cause) {
    }
}
