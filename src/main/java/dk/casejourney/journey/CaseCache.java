package dk.casejourney.journey;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Cases kept in memory between commands, so that a write does not read and replay the case's events (since its
 * last snapshot) before deciding: with them, loading was the largest part of a live write's CPU.
 * <p>
 * A kept case is used only if it is the stored case: before each command the store's last sequence number of
 * the case is read (one index lookup) and compared with the kept case's version. Another instance (two on one
 * PostgreSQL, or Axon Server), a bulk import batch that was rolled back after it was kept, or anything else that
 * changed the stored case makes them differ, and the case is then loaded from the store as without the cache.
 * A change between that check and the append is caught as before by the store's unique (case, sequence) key:
 * the command fails and its unit of work's rollback drops the kept case. So a decision is never taken on a
 * case older than the stored one, on any number of instances. Axon's {@link WeakReferenceCache}: the garbage
 * collector bounds its memory. {@code ledger.cases.cache=false} turns the cache off.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class CaseCache {

    static final String REPOSITORY = "caseRepository";

    @Bean(REPOSITORY)
    Repository<CaseAggregate> caseRepository(Configuration axon, EventStore eventStore,
                                             ObjectProvider<EventStorageEngine> engine,
                                             @Qualifier(CaseSnapshots.TRIGGER) SnapshotTriggerDefinition trigger,
                                             @Value("${ledger.cases.cache:true}") boolean cached) {
        EventSourcingRepository.Builder<CaseAggregate> builder =
                EventSourcingRepository.builder(CaseAggregate.class)
                                       .aggregateModel(new AnnotatedAggregateMetaModelFactory(
                                               axon.parameterResolverFactory(),
                                               axon.handlerDefinition(CaseAggregate.class))
                                                               .createModel(CaseAggregate.class))
                                       .eventStore(eventStore)
                                       .snapshotTriggerDefinition(trigger)
                                       .repositoryProvider(axon::repository);
        if (!cached) {
            return builder.build();
        }
        Cache cache = new WeakReferenceCache();
        return new CheckedCache<>(builder.cache(cache), storedLastSequenceNumber(eventStore, engine.getIfAvailable()),
                                  cache);
    }

    /**
     * The last sequence number of a case in the store, not counting events staged in the running unit of work.
     * The event store's own {@code lastSequenceNumberFor} also looks through every staged event, comparing each with
     * every other (AbstractEventBus.queuedMessages): in a bulk batch of n commands that was about n squared per case
     * loaded, the largest cost of an import batch of a few thousand commands. Staged events never change the answer
     * here: a case has staged events only once the batch manages it, and a managed case is not loaded again. Axon
     * Server has no engine bean; there the event store answers, staged events included.
     */
    static Function<String, Optional<Long>> storedLastSequenceNumber(EventStore eventStore,
                                                                     EventStorageEngine engine) {
        return engine != null ? engine::lastSequenceNumberFor : eventStore::lastSequenceNumberFor;
    }

    /** Axon's caching repository, with the kept case checked against the store before it is used. */
    static final class CheckedCache<T> extends CachingEventSourcingRepository<T> {

        private final Function<String, Optional<Long>> storedLastSequenceNumber;
        private final Cache cache;

        CheckedCache(EventSourcingRepository.Builder<T> builder,
                     Function<String, Optional<Long>> storedLastSequenceNumber, Cache cache) {
            super(builder);
            this.storedLastSequenceNumber = storedLastSequenceNumber;
            this.cache = cache;
        }

        @Override
        protected EventSourcedAggregate<T> doLoadWithLock(String caseId, Long expectedVersion) {
            // The lock on the case is held: no other command of this instance changes the cache entry meanwhile.
            boolean kept = cache.containsKey(caseId);
            if (!kept) {
                // Mostly a case being opened: an opening creates the case if missing, so Axon first loads it. One
                // index lookup finds it missing, where reading its snapshot and then its events took two queries.
                if (storedLastSequenceNumber.apply(caseId).isEmpty()) {
                    throw new AggregateNotFoundException(caseId, "The aggregate was not found in the event store");
                }
                return super.doLoadWithLock(caseId, expectedVersion);
            }
            EventSourcedAggregate<T> aggregate = super.doLoadWithLock(caseId, expectedVersion);
            if (Objects.equals(aggregate.version(), storedLastSequenceNumber.apply(caseId).orElse(null))) {
                return aggregate;
            }
            cache.remove(caseId);
            return super.doLoadWithLock(caseId, expectedVersion);
        }
    }
}
