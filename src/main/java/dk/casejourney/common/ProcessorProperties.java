package dk.casejourney.common;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Throughput settings shared by all read-model processors.
 *
 * @param batchSize           events handled in one transaction, at most: a replay or catch-up pays one commit, one
 *                            token update and one JDBC batch per table per batch, and a case whose events straddle
 *                            two batches has its figures computed twice; a live tail takes what there is. A
 *                            rebuild's replay (audit.Rebuilds) uses the same size and reads ten batches ahead
 * @param initialSegmentCount segments a processor is split into when its tokens are first created; several
 *                            instances share the segments between them
 * @param maxClaimedSegments  a fixed cap on the segments one instance may hold per processor, below its fair share
 *                            (segments / live instances, see {@link Instances}); {@code null} (the default)
 *                            means the fair share alone. A capped instance does not take over the segments of a
 *                            dead one beyond the cap, so the cap times the instances still running must cover
 *                            all segments.
 * @param deadLetterMaxSequences    cases a processor's dead-letter queue may hold
 * @param deadLetterMaxSequenceSize events one parked case may hold in it
 * @param tokenClaimInterval  how often an instance looks for unclaimed segments (a dead instance's, once its
 *                            claims have expired)
 * @param wakeUpDelay         the processors' shared reader of the event table is woken at most once per delay: at
 *                            once after a commit on a quiet ledger, one delay after the last wake-up on a busy one,
 *                            however many commits fall into it (H2 and PostgreSQL profiles:
 *                            {@link CoalescingEventStore}); 0 wakes it after every commit, as Axon does
 * @param busyBatchDelay      the processors are told of new events at once on a quiet ledger, at most once per
 *                            this delay on a busy one, so that they take a busy ledger's events in batches (each
 *                            batch costs a transaction and a token update per processor and segment); 0 tells them
 *                            of every read (H2 and PostgreSQL profiles: {@link CoalescingEventStore})
 */
@ConfigurationProperties("ledger.processors")
record ProcessorProperties(@DefaultValue("1000") int batchSize, @DefaultValue("2") int initialSegmentCount,
                           Integer maxClaimedSegments, @DefaultValue("10000") int deadLetterMaxSequences,
                           @DefaultValue("100000") int deadLetterMaxSequenceSize,
                           @DefaultValue("2s") Duration tokenClaimInterval,
                           @DefaultValue("10ms") Duration wakeUpDelay,
                           @DefaultValue("100ms") Duration busyBatchDelay) {

    ProcessorProperties {
        if (tokenClaimInterval.isNegative() || tokenClaimInterval.isZero()) {
            throw new IllegalArgumentException("ledger.processors.token-claim-interval must be positive");
        }
        if (wakeUpDelay.isNegative() || wakeUpDelay.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("ledger.processors.wake-up-delay must be between 0 and 1 s");
        }
        if (busyBatchDelay.isNegative() || busyBatchDelay.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("ledger.processors.busy-batch-delay must be between 0 and 1 s");
        }
        if (batchSize < 1 || initialSegmentCount < 1 || (maxClaimedSegments != null && maxClaimedSegments < 1)) {
            throw new IllegalArgumentException("ledger.processors: batch-size, initial-segment-count and "
                                                       + "max-claimed-segments must be at least 1");
        }
    }
}
