package dk.casejourney.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deletes access-log entries older than the retention period; the product does it itself, on a schedule. */
@Component
class AccessLogRetention {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLogRetention.class);
    private final AccessLogStore store;
    private final AccessLogProperties properties;
    private final Clock clock;

    AccessLogRetention(AccessLogStore store, AccessLogProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${ledger.access-log.purge-every:PT1H}")
    int purge() {
        Instant cutoff = clock.instant().atZone(ZoneOffset.UTC).minus(properties.retention()).toInstant();
        int deleted = store.deleteOlderThan(cutoff);
        if (deleted > 0) {
            LOG.info("Deleted {} access-log entries recorded before {}", deleted, cutoff);
        }
        return deleted;
    }
}
