package dk.casejourney.journey;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.snapshotting.RevisionSnapshotFilter;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Snapshots of long cases, so that a write to a case with hundreds of entries does not replay all of them.
 * A snapshot is taken after a load replayed {@code ledger.snapshots.event-threshold} events; only snapshots of
 * the case's current {@link #REVISION} are used, any other is ignored and the case is replayed from its events.
 */
@Configuration(proxyBeanMethods = false)
class CaseSnapshots {

    static final String TRIGGER = "caseSnapshotTrigger";
    static final String FILTER = "caseSnapshotFilter";
    /** Raise when the state {@link CaseAggregate} holds changes shape. */
    static final String REVISION = "1";

    @Bean(TRIGGER)
    SnapshotTriggerDefinition caseSnapshotTrigger(Snapshotter snapshotter,
                                                  @Value("${ledger.snapshots.event-threshold:50}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    @Bean(FILTER)
    SnapshotFilter caseSnapshotFilter() {
        return RevisionSnapshotFilter.builder().type(CaseAggregate.class).revision(REVISION).build();
    }
}
