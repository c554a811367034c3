package dk.casejourney.audit;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ChainingInterceptorTest {

    record Payload(String caseId, String text) {
    }

    /** Counts the payloads it serializes. */
    private static final class CountingSerializer extends JacksonSerializer {
        final AtomicInteger payloads = new AtomicInteger();

        CountingSerializer() {
            super(JacksonSerializer.builder());
        }

        @Override
        public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
            if (object instanceof Payload) {
                payloads.incrementAndGet();
            }
            return super.serialize(object, expectedRepresentation);
        }
    }

    @Test
    void givenACaseEvent_whenItIsChainedAndStored_thenItsPayloadIsSerializedOnceAndTheStoreGetsTheDigestedBytes() {
        CountingSerializer serializer = new CountingSerializer();
        ChainingInterceptor interceptor = new ChainingInterceptor(serializer, () -> null, new LedgerKeys(null, null));
        DomainEventMessage<Payload> event = new GenericDomainEventMessage<>(
                "CaseAggregate", "case-1", 0, new Payload("case-1", "æøå"), Map.of("recordedBy", "caseworker"),
                "event-1", Instant.parse("2024-03-04T08:15:00.123Z"));

        EventMessage<?> chained = interceptor.handle(List.of(event)).apply(0, event);
        // What the JDBC engine asks for when it appends (the store's serializer, byte[]):
        SerializedObject<byte[]> stored = chained.serializePayload(serializer, byte[].class);

        assertThat(serializer.payloads).hasValue(1);
        assertThat(EventChain.payloadDigest(stored.getType().getName(), stored.getType().getRevision(),
                                            stored.getData()))
                .isEqualTo(chained.getMetaData().get(EventChain.PAYLOAD_DIGEST));
        assertThat(stored.getData()).isEqualTo(serializer.serialize(event.getPayload(), byte[].class).getData());
        assertThat(chained).isInstanceOf(DomainEventMessage.class);
        DomainEventMessage<?> domain = (DomainEventMessage<?>) chained;
        assertThat(domain.getIdentifier()).isEqualTo("event-1");
        assertThat(domain.getTimestamp()).isEqualTo(event.getTimestamp());
        assertThat(domain.getSequenceNumber()).isZero();
        assertThat(domain.getMetaData()).containsEntry("recordedBy", "caseworker").containsKey(EventChain.DIGEST);
    }

    /** A store holding, per case and sequence number, a stored event with the given digest; counts its reads. */
    private static final class StoredDigests {
        final Map<String, String> digests = new HashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        final EventStore store = mock(EventStore.class);

        StoredDigests() {
            when(store.readEvents(anyString(),
                                                      anyLong()))
                    .thenAnswer(call -> {
                        reads.incrementAndGet();
                        String caseId = call.getArgument(0);
                        long from = call.getArgument(1);
                        String digest = digests.get(caseId + "/" + from);
                        return digest == null ? DomainEventStream.empty() : DomainEventStream.of(
                                new GenericDomainEventMessage<>("CaseAggregate", caseId, from,
                                                                new Payload(caseId, "stored"),
                                                                Map.of(EventChain.DIGEST, digest)));
                    });
        }

        void stored(String caseId, long sequenceNumber, String digest) {
            digests.put(caseId + "/" + sequenceNumber, digest);
        }
    }

    private final StoredDigests store = new StoredDigests();
    private final ChainingInterceptor interceptor = new ChainingInterceptor(
            JacksonSerializer.defaultSerializer(), () -> store.store, new LedgerKeys(null, null), 2);

    @AfterEach
    void noUnitOfWorkLeft() {
        assertThat(CurrentUnitOfWork.isStarted()).isFalse();
    }

    private static DomainEventMessage<Payload> event(String caseId, long sequenceNumber) {
        return new GenericDomainEventMessage<>("CaseAggregate", caseId, sequenceNumber,
                                               new Payload(caseId, "event " + sequenceNumber));
    }

    /**
     * Chains the event as the event store does (while the unit of work prepares its commit) in a unit of work of
     * its own, which commits, or fails at its commit and rolls back.
     */
    private DomainEventMessage<?> chain(DomainEventMessage<?> event, boolean commits) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        DomainEventMessage<?>[] chained = new DomainEventMessage<?>[1];
        unitOfWork.onPrepareCommit(u -> {
            chained[0] = (DomainEventMessage<?>) interceptor.handle(List.of(event)).apply(0, event);
            if (!commits) {
                throw new IllegalStateException("the append failed");
            }
        });
        try {
            unitOfWork.commit();
        } catch (IllegalStateException rolledBack) {
            assertThat(commits).isFalse();
        }
        return chained[0];
    }

    private static Object previous(DomainEventMessage<?> chained) {
        return chained.getMetaData().get(EventChain.PREVIOUS);
    }

    @Test
    void givenACommittedEvent_whenTheCasesNextEventIsChained_thenItsDigestIsTheCommittedOneAndTheStoreIsNotRead() {
        DomainEventMessage<?> first = chain(event("case-1", 0), true);

        DomainEventMessage<?> second = chain(event("case-1", 1), true);

        assertThat(previous(second)).isEqualTo(first.getMetaData().get(EventChain.DIGEST));
        assertThat(store.reads).hasValue(0);
    }

    @Test
    void givenAnEventRolledBack_whenAnotherWriterStoredThatSequenceNumberAndTheNextIsChained_thenTheStoredDigestIsUsed() {
        chain(event("case-1", 0), true);
        chain(event("case-1", 1), false);
        store.stored("case-1", 1, "digest-of-the-other-instance");

        DomainEventMessage<?> next = chain(event("case-1", 2), true);

        assertThat(previous(next)).isEqualTo("digest-of-the-other-instance");
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void givenAnotherInstanceAppendedAfterThisOnesLastEvent_whenTheCasesNextEventIsChained_thenTheStoredDigestIsUsed() {
        chain(event("case-1", 0), true);
        store.stored("case-1", 1, "digest-of-the-other-instance");

        DomainEventMessage<?> next = chain(event("case-1", 2), true);

        assertThat(previous(next)).isEqualTo("digest-of-the-other-instance");
    }

    @Test
    void givenAnOuterTransactionStillOpenAtTheCommit_whenTheCasesNextEventIsChained_thenTheStoreIsRead() {
        TransactionSynchronizationManager.setActualTransactionActive(true);
        try {
            chain(event("case-1", 0), true);
        } finally {
            TransactionSynchronizationManager.setActualTransactionActive(false);
        }
        store.stored("case-1", 0, "digest-as-the-outer-transaction-left-it");

        DomainEventMessage<?> next = chain(event("case-1", 1), true);

        assertThat(previous(next)).isEqualTo("digest-as-the-outer-transaction-left-it");
    }

    @Test
    void givenMoreCasesThanItRemembers_whenTheLeastRecentlyChainedCaseGoesOn_thenItsPreviousDigestIsReadFromTheStore() {
        String digest = (String) chain(event("case-1", 0), true).getMetaData().get(EventChain.DIGEST);
        chain(event("case-2", 0), true);
        chain(event("case-3", 0), true);
        store.stored("case-1", 0, digest);

        DomainEventMessage<?> next = chain(event("case-1", 1), true);

        assertThat(previous(next)).isEqualTo(digest);
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void givenTwoEventsOfACaseInOneUnitOfWork_whenTheyAreChained_thenTheSecondFollowsTheFirstWithoutReadingTheStore() {
        store.stored("case-1", 4, "stored-digest");
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        List<DomainEventMessage<Payload>> events = List.of(event("case-1", 5), event("case-1", 6));
        List<DomainEventMessage<?>> chained = new ArrayList<>();
        unitOfWork.onPrepareCommit(u -> {
            var link = interceptor.handle(events);
            for (int index = 0; index < events.size(); index++) {
                chained.add((DomainEventMessage<?>) link.apply(index, events.get(index)));
            }
        });
        unitOfWork.commit();

        DomainEventMessage<?> next = chain(event("case-1", 7), true);

        assertThat(previous(chained.get(0))).isEqualTo("stored-digest");
        assertThat(previous(chained.get(1))).isEqualTo(chained.get(0).getMetaData().get(EventChain.DIGEST));
        assertThat(previous(next)).isEqualTo(chained.get(1).getMetaData().get(EventChain.DIGEST));
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void givenCommandsInSpringTransactions_whenACasesEventsArePublishedThroughTheEventStore_thenOnlyTheFirstReadsTheStore() {
        // As Axon's command bus runs a command: a unit of work with a Spring transaction attached, the events
        // published to the event store and chained when the unit of work prepares its commit.
        org.h2.jdbcx.JdbcDataSource database = new org.h2.jdbcx.JdbcDataSource();
        database.setURL("jdbc:h2:mem:chain-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        org.axonframework.spring.messaging.unitofwork.SpringTransactionManager transactions =
                new org.axonframework.spring.messaging.unitofwork.SpringTransactionManager(
                        new org.springframework.jdbc.datasource.DataSourceTransactionManager(database));
        org.axonframework.eventsourcing.eventstore.EmbeddedEventStore eventStore =
                org.axonframework.eventsourcing.eventstore.EmbeddedEventStore.builder()
                        .storageEngine(new org.axonframework.eventsourcing.eventstore.inmemory
                                .InMemoryEventStorageEngine()).build();
        eventStore.registerDispatchInterceptor(interceptor);
        try {
            for (long sequenceNumber = 0; sequenceNumber < 3; sequenceNumber++) {
                DefaultUnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
                command.attachTransaction(transactions);
                eventStore.publish(event("case-1", sequenceNumber));
                command.commit();
            }
            List<? extends DomainEventMessage<?>> stored = eventStore.readEvents("case-1").asStream().toList();

            assertThat(stored).hasSize(3);
            assertThat(stored.get(1).getMetaData().get(EventChain.PREVIOUS))
                    .isEqualTo(stored.get(0).getMetaData().get(EventChain.DIGEST));
            assertThat(stored.get(2).getMetaData().get(EventChain.PREVIOUS))
                    .isEqualTo(stored.get(1).getMetaData().get(EventChain.DIGEST));
            assertThat(store.reads).hasValue(0);
        } finally {
            eventStore.shutDown();
        }
    }
}
