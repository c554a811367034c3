package dk.casejourney.journey;

import dk.casejourney.common.AxonConfiguration;
import dk.casejourney.common.RecentlyUsed;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Cases kept in memory between commands, so that a write does not read and replay the case's events (since its
 * last snapshot) before deciding: with them, loading was the largest part of a live write's CPU.
 * <p>
 * A kept case is used only if it is the stored case, or if a write on a stale one cannot be recorded:
 * <ul>
 * <li>A case kept at the version this instance's last committed unit of work on it left (by writing it, or by
 * reading it from the store) is used as it is, without asking the store: a (case, sequence number) is stored
 * once, by the store's unique key, and stored events never change, so the store holds at least that version, in
 * that state. If another instance (two on one PostgreSQL, or Axon Server) wrote the case since, an accepted
 * command's event takes a sequence number the store already holds: the unique key refuses it, the unit of work's
 * rollback drops the kept case, and the command gateway sends the command again ({@link ConcurrentWriteRetries}),
 * on the case loaded from the store. A command the kept case refuses is checked against the store before the
 * refusal is answered ({@link StaleCaseGuard}).</li>
 * <li>Any other kept case (its committed version forgotten, or kept by a unit of work that joined an outer
 * transaction) is checked before it is used: the store's last sequence number of the case is read (one index
 * lookup) and compared with the kept case's version; if they differ the case is loaded from the store as without
 * the cache.</li>
 * </ul>
 * So a decision is never recorded, nor a refusal answered, on a case older than the stored one, on any number of
 * instances. Axon's {@link WeakReferenceCache}: the garbage collector bounds its memory. {@code
 * ledger.cases.cache=false} turns the cache off.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class CaseCache {

    static final String REPOSITORY = "caseRepository";

    /**
     * A resource of a bulk batch's unit of work (a mutable {@code Set<String>}): cases the batch opens of which the
     * store held no event when the batch's transaction began, found for all of them in one query
     * ({@link StoredCases}). Opening such a case then needs no lookup of its own (about 8% of an import thread's
     * CPU, one index lookup per new case); each entry is used once, and not for a case this instance has committed
     * since (another batch of the same import opened it). A case another instance records meanwhile is refused by
     * the store's unique key at the batch's commit.
     */
    static final String ABSENT = CaseCache.class.getName() + ".absent";

    /** Which of some cases the store holds events of, in one query; null where it cannot tell so. */
    @FunctionalInterface
    interface StoredCases {

        Set<String> storedAmong(Collection<String> caseIds);
    }

    /**
     * On the JDBC stores, one query in the caller's transaction; under Axon Server (no JDBC engine), or without the
     * cache (whose repository alone uses {@link #ABSENT}), none: each opening asks the event store, as before.
     */
    @Bean
    StoredCases storedCases(ObjectProvider<EventStorageEngine> engine, ObjectProvider<ConnectionProvider> connections,
                            ObjectProvider<EventSchema> schema,
                            @Value("${ledger.cases.cache:true}") boolean cached) {
        ConnectionProvider provider = connections.getIfAvailable();
        if (!cached || !(engine.getIfAvailable() instanceof JdbcEventStorageEngine) || provider == null) {
            return caseIds -> null;
        }
        EventSchema events = schema.getIfAvailable(AxonConfiguration::ledgerEventSchema);
        return caseIds -> storedAmong(provider, events, caseIds);
    }

    /**
     * One index probe per case (a semi-join over the ids, so PostgreSQL's planner probes the index whatever its
     * statistics say: an {@code IN} list over a table it had not analysed yet was read whole, every batch).
     */
    static Set<String> storedAmong(ConnectionProvider provider, EventSchema schema, Collection<String> caseIds) {
        Set<String> stored = new HashSet<>();
        // The transaction's own connection (Spring's provider): the same view of the store as its later statements.
        try (Connection connection = provider.getConnection();
             PreparedStatement statement = connection.prepareStatement(storedAmongSql(schema))) {
            statement.setArray(1, connection.createArrayOf("varchar", caseIds.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask the event store which cases it holds", e);
        }
        return stored;
    }

    /** Its one parameter: the case ids, as an SQL array of text. */
    static String storedAmongSql(EventSchema schema) {
        return "SELECT ids.id FROM UNNEST(?) AS ids(id) WHERE EXISTS (SELECT 1 FROM " + schema.domainEventTable()
                + " stored WHERE stored." + schema.aggregateIdentifierColumn() + " = ids.id)";
    }

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

    /**
     * Axon's caching repository, with the kept case checked against the store before it is used, unless this
     * instance's last committed unit of work on the case left it at the kept version.
     */
    static final class CheckedCache<T> extends CachingEventSourcingRepository<T> {

        /** About 150 bytes each (case id, version, entry): about 7 MB when full. */
        static final int REMEMBERED_CASES = 50_000;
        private static final String UNCHECKED = CheckedCache.class.getName() + ".unchecked";
        private final Function<String, Optional<Long>> storedLastSequenceNumber;
        private final Cache cache;
        /**
         * The version of each case this instance's last committed unit of work on it left, least recently used
         * out; a case forgotten here is checked again, as is one kept by a unit of work that joined an outer
         * transaction (that transaction may yet roll back).
         */
        private final Map<String, Long> committed;

        CheckedCache(EventSourcingRepository.Builder<T> builder,
                     Function<String, Optional<Long>> storedLastSequenceNumber, Cache cache) {
            this(builder, storedLastSequenceNumber, cache, REMEMBERED_CASES);
        }

        CheckedCache(EventSourcingRepository.Builder<T> builder,
                     Function<String, Optional<Long>> storedLastSequenceNumber, Cache cache, int rememberedCases) {
            super(builder);
            this.storedLastSequenceNumber = storedLastSequenceNumber;
            this.cache = cache;
            this.committed = RecentlyUsed.map(rememberedCases);
        }

        @Override
        protected EventSourcedAggregate<T> doLoadWithLock(String caseId, Long expectedVersion) {
            // The lock on the case is held: no other command of this instance changes the cache entry meanwhile.
            boolean kept = cache.containsKey(caseId);
            // A case this instance committed since (the import's other recorder thread opened it) is asked for.
            if (!kept && !committed.containsKey(caseId) && absentAtBatchStart(caseId)) {
                throw new AggregateNotFoundException(caseId, "The aggregate was not found in the event store");
            }
            if (!kept) {
                // Mostly a case being opened: an opening creates the case if missing, so Axon first loads it. One
                // index lookup finds it missing, where reading its snapshot and then its events took two queries.
                if (storedLastSequenceNumber.apply(caseId).isEmpty()) {
                    throw new AggregateNotFoundException(caseId, "The aggregate was not found in the event store");
                }
                return super.doLoadWithLock(caseId, expectedVersion);
            }
            EventSourcedAggregate<T> aggregate = super.doLoadWithLock(caseId, expectedVersion);
            Long version = aggregate.version();
            if (version != null && version.equals(committed.get(caseId))) {
                // Noted on the outermost unit of work: in a bulk batch a later command on the case finds it there.
                CurrentUnitOfWork.get().root()
                                 .<Map<String, Long>>getOrComputeResource(UNCHECKED, key -> new HashMap<>())
                                 .put(caseId, version);
                return aggregate;
            }
            if (isStored(caseId, version)) {
                return aggregate;
            }
            cache.remove(caseId);
            return super.doLoadWithLock(caseId, expectedVersion);
        }

        /** Whether the batch found the case absent from the store ({@link #ABSENT}); each entry answers once. */
        private static boolean absentAtBatchStart(String caseId) {
            if (!CurrentUnitOfWork.isStarted()) {
                return false;
            }
            Set<String> absent = CurrentUnitOfWork.get().root().getResource(ABSENT);
            return absent != null && absent.remove(caseId);
        }

        @Override
        protected void doSaveWithLock(EventSourcedAggregate<T> aggregate) {
            super.doSaveWithLock(aggregate);
            // Remembered once committed, and only when no outer transaction is still open (it may yet roll back).
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> {
                Long version = aggregate.version();
                if (version != null && !TransactionSynchronizationManager.isActualTransactionActive()) {
                    committed.merge(aggregate.identifierAsString(), version, Math::max);
                }
            });
        }

        /**
         * The cases this unit of work took from the cache without asking the store that the store holds no later
         * version of them: those whose stored version differs now (another instance wrote them meanwhile).
         */
        List<String> staleUncheckedCases(UnitOfWork<?> unitOfWork) {
            Map<String, Long> unchecked = unitOfWork.root().getResource(UNCHECKED);
            if (unchecked == null) {
                return List.of();
            }
            return unchecked.entrySet().stream()
                            .filter(entry -> !isStored(entry.getKey(), entry.getValue()))
                            .map(Map.Entry::getKey)
                            .toList();
        }

        /** Whether the store's last sequence number of the case is this version (one index lookup). */
        private boolean isStored(String caseId, Long version) {
            return Objects.equals(version, storedLastSequenceNumber.apply(caseId).orElse(null));
        }
    }
}
