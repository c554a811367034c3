package dk.casejourney.journey;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.assertj.core.api.Assertions.assertThat;

class CaseCacheTest {

    private final InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    private final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(engine).build();
    private final AtomicInteger eventReads = new AtomicInteger();
    /** How often the event store, rather than its engine, was asked for a case's last sequence number. */
    private final AtomicInteger eventStoreLookups = new AtomicInteger();
    /** The store as the repository sees it, counting how often a case's events are read. */
    private final EventStore counted = (EventStore) Proxy.newProxyInstance(
            EventStore.class.getClassLoader(), new Class<?>[]{EventStore.class}, (proxy, method, arguments) -> {
                if (method.getName().equals("readEvents") && arguments != null && arguments[0] instanceof String) {
                    eventReads.incrementAndGet();
                }
                if (method.getName().equals("lastSequenceNumberFor")) {
                    eventStoreLookups.incrementAndGet();
                }
                try {
                    return method.invoke(store, arguments);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    /** Strong, not the product's weak references: a collection between two writes must not change what is counted. */
    private final StrongCache cache = new StrongCache();
    /** How often the store was asked for a case's last sequence number before a kept case was used. */
    private final AtomicInteger versionLookups = new AtomicInteger();
    private final CaseCache.CheckedCache<Counter> repository = new CaseCache.CheckedCache<>(
            EventSourcingRepository.builder(Counter.class).eventStore(counted).cache(cache),
            caseId -> {
                versionLookups.incrementAndGet();
                return CaseCache.storedLastSequenceNumber(counted, engine).apply(caseId);
            }, cache);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void givenACaseTheStoreDoesNotHold_whenItIsLoadedOrCreated_thenItIsCreatedWithoutReadingItsEvents()
            throws Exception {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        var result = unitOfWork.executeWithResult(() -> repository.loadOrCreate("case-1", Counter::new)
                                                                  .invoke(counter -> counter.open("case-1")));

        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        assertThat(result.getPayload()).as("a new case: its opening is its first event").isEqualTo(1);
        assertThat(eventReads).as("events read to find nothing").hasValue(0);
    }

    @Test
    void givenACaseTheStoreHoldsButThisInstanceDoesNotKeep_whenItIsLoadedOrCreated_thenItIsLoadedFromItsEvents()
            throws Exception {
        // Recorded by another instance: in the store, not in this instance's cache.
        store.publish(new GenericDomainEventMessage<>("Counter", "case-2", 0, new Counted("case-2")),
                      new GenericDomainEventMessage<>("Counter", "case-2", 1, new Counted("case-2")));

        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        var result = unitOfWork.executeWithResult(() -> repository.loadOrCreate("case-2", Counter::new)
                                                                  .invoke(counter -> counter.open("case-2")));

        assertThat(result.getPayload()).as("its two stored events, then this one").isEqualTo(3);
        DomainEventStream events = store.readEvents("case-2");
        assertThat(events.asStream().count()).isEqualTo(3);
    }

    @Test
    void givenEventsStagedInABatch_whenTheNextNewCaseIsOpened_thenTheStoreIsAskedWithoutLookingThroughThem()
            throws Exception {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        var result = batch.executeWithResult(() -> {
            int opened = 0;
            for (int index = 0; index < 3; index++) {
                String caseId = "batch-" + index;
                opened += repository.loadOrCreate(caseId, Counter::new).invoke(counter -> counter.open(caseId));
            }
            // Still inside the batch: case batch-0's opening is staged, not stored.
            return List.of(opened, store.lastSequenceNumberFor("batch-0"),
                           CaseCache.storedLastSequenceNumber(counted, engine).apply("batch-0"));
        });

        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        assertThat(result.getPayload().get(0)).as("three new cases, one event each").isEqualTo(3);
        assertThat(result.getPayload().get(1)).as("the event store counts the staged opening")
                                             .isEqualTo(Optional.of(0L));
        assertThat(result.getPayload().get(2)).as("the stored case: none yet").isEqualTo(Optional.empty());
        assertThat(eventStoreLookups).as("lookups that scan every staged event").hasValue(0);
    }

    @Test
    void givenABatchThatFoundItsCasesAbsent_whenItOpensThem_thenNoneIsLookedUpAndACaseNotFoundAbsentStillIs()
            throws Exception {
        // Recorded before the batch: the batch's query found it, so it is not among the absent ones.
        store.publish(new GenericDomainEventMessage<>("Counter", "stored", 0, new Counted("stored")));
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        batch.resources().put(CaseCache.ABSENT, new java.util.HashSet<>(List.of("new-1", "new-2", "new-3")));
        var result = batch.executeWithResult(() -> {
            int opened = 0;
            for (String caseId : List.of("new-1", "new-2", "new-3")) {
                opened += repository.loadOrCreate(caseId, Counter::new).invoke(counter -> counter.open(caseId));
            }
            int lookupsForNewCases = versionLookups.get();
            int stored = repository.loadOrCreate("stored", Counter::new).invoke(counter -> counter.open("stored"));
            return List.of(opened, lookupsForNewCases, stored, versionLookups.get());
        });

        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        assertThat(result.getPayload().get(0)).as("three new cases, one event each").isEqualTo(3);
        assertThat(result.getPayload().get(1)).as("lookups for the cases found absent").isZero();
        assertThat(result.getPayload().get(2)).as("the stored case, loaded: its event and this one").isEqualTo(2);
        assertThat(result.getPayload().get(3)).as("the stored case was looked up").isEqualTo(1);
        assertThat(eventReads).as("events read: the stored case's only").hasValue(1);
    }

    @Test
    void givenACaseTheBatchFoundAbsentThatThisInstanceOpenedMeanwhile_whenTheBatchOpensIt_thenItIsLookedUpAndLoaded()
            throws Exception {
        // Another batch (the import's second recorder thread) opened and committed it after this batch asked; its
        // kept copy is gone (a weak reference, collected), so only the store knows.
        write("both");
        cache.remove("both");
        int lookupsBefore = versionLookups.get();
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        batch.resources().put(CaseCache.ABSENT, new java.util.HashSet<>(List.of("both")));
        var result = batch.executeWithResult(
                () -> repository.loadOrCreate("both", Counter::new).invoke(counter -> counter.open("both")));

        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        assertThat(result.getPayload()).as("loaded with its opening, not opened a second time").isEqualTo(2);
        assertThat(versionLookups.get() - lookupsBefore).as("the store was asked").isEqualTo(1);
    }

    private int write(String caseId) throws Exception {
        return write(repository, caseId);
    }

    private static int write(CaseCache.CheckedCache<Counter> repository, String caseId) throws Exception {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        var result = unitOfWork.executeWithResult(() -> repository.loadOrCreate(caseId, Counter::new)
                                                                  .invoke(counter -> counter.open(caseId)));
        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        return result.getPayload();
    }

    @Test
    void givenACaseThisInstanceLastWroteAndCommitted_whenItIsWrittenAgain_thenTheStoreIsNotAskedForItsVersion()
            throws Exception {
        write("case-3");
        int lookupsAfterOpening = versionLookups.get();

        assertThat(write("case-3")).isEqualTo(2);
        assertThat(write("case-3")).isEqualTo(3);

        assertThat(versionLookups.get() - lookupsAfterOpening).as("lookups for a case this instance wrote last")
                                                              .isZero();
        assertThat(eventReads).as("its events read back").hasValue(0);
        assertThat(store.readEvents("case-3").asStream().count()).isEqualTo(3);
    }

    @Test
    void givenAKeptCaseWhoseCommittedVersionWasForgotten_whenItIsWrittenAgain_thenTheStoreIsAskedFirst()
            throws Exception {
        CaseCache.CheckedCache<Counter> remembersOne = new CaseCache.CheckedCache<>(
                EventSourcingRepository.builder(Counter.class).eventStore(counted).cache(cache),
                caseId -> {
                    versionLookups.incrementAndGet();
                    return CaseCache.storedLastSequenceNumber(counted, engine).apply(caseId);
                }, cache, 1);
        write(remembersOne, "case-4a");
        write(remembersOne, "case-4b");
        int lookupsBefore = versionLookups.get();

        assertThat(write(remembersOne, "case-4a")).isEqualTo(2);

        assertThat(versionLookups.get() - lookupsBefore)
                .as("kept, but its committed version forgotten (bounded memory): checked as before").isEqualTo(1);
        assertThat(eventReads).as("still used from the cache, not read back").hasValue(0);
    }

    @Test
    void givenACaseUsedUncheckedThatAnotherWriterAppendedTo_whenItsUnitOfWorkAsks_thenTheCaseIsNamedStale()
            throws Exception {
        write("case-5");
        write("case-6");
        store.publish(new GenericDomainEventMessage<>("Counter", "case-5", 1, new Counted("case-5")));

        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        var stale = unitOfWork.executeWithResult(() -> {
            repository.load("case-5");
            repository.load("case-6");
            return repository.staleUncheckedCases(CurrentUnitOfWork.get());
        });

        assertThat(stale.getPayload()).as("written elsewhere since: case-5 only").containsExactly("case-5");
    }

    /** A cache that keeps what it is given until it is removed. */
    static final class StrongCache implements Cache {
        private final Map<Object, Object> entries = new ConcurrentHashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> V get(K key) {
            return (V) entries.get(key);
        }

        @Override
        public void put(Object key, Object value) {
            entries.put(key, value);
        }

        @Override
        public boolean putIfAbsent(Object key, Object value) {
            return entries.putIfAbsent(key, value) == null;
        }

        @Override
        public boolean remove(Object key) {
            return entries.remove(key) != null;
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
            return () -> true;
        }
    }

    record Counted(String id) {
    }

    /** A minimal event-sourced aggregate: the cache's checks do not depend on what the case decides. */
    static class Counter {
        @AggregateIdentifier
        String id;
        int count;

        Counter() {
        }

        @CommandHandler
        int open(String caseId) {
            apply(new Counted(caseId));
            return count;
        }

        @EventSourcingHandler
        void on(Counted event) {
            id = event.id();
            count++;
        }
    }
}
