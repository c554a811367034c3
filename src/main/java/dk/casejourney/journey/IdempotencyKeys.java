package dk.casejourney.journey;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.common.RuleViolation;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Idempotency-Keys a case has seen, rebuilt from its own events, so that a retried request is
 * recognised after a restart and on any instance, without a table beside the ledger. Part of the case's
 * snapshot.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class IdempotencyKeys {

    private record Seen(String fingerprint, String entryId) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    @EventSourcingHandler
    void on(CaseEvent event, MetaData metaData) {
        Object key = metaData.get(LedgerMetadata.IDEMPOTENCY_KEY);
        if (key != null) {
            seen.putIfAbsent(key.toString(),
                             new Seen(String.valueOf(metaData.get(LedgerMetadata.REQUEST_FINGERPRINT)), event.entryId()));
        }
    }

    /**
     * The entry recorded earlier under the command's key, if any.
     *
     * @throws RuleViolation when the key was used before with a different request
     */
    Optional<String> earlierEntry(MetaData commandMetaData) {
        Object key = commandMetaData.get(LedgerMetadata.IDEMPOTENCY_KEY);
        if (key == null) {
            return Optional.empty();
        }
        Seen earlier = seen.get(key.toString());
        if (earlier == null) {
            return Optional.empty();
        }
        if (!earlier.fingerprint().equals(String.valueOf(commandMetaData.get(LedgerMetadata.REQUEST_FINGERPRINT)))) {
            throw new RuleViolation(RuleViolation.Kind.UNPROCESSABLE, "Idempotency-Key",
                                    "was already used for a different request on this case");
        }
        return Optional.of(earlier.entryId());
    }
}
