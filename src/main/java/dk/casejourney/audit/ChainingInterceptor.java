package dk.casejourney.audit;

import dk.casejourney.common.IsoInstants;
import dk.casejourney.common.RecentlyUsed;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.crypto.Mac;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Puts each case event into its case's hash chain just before it is stored. The event bus calls it once per
 * unit of work with all events in the order they will be appended, so the previous digest comes from the same
 * batch, or from the stored event before it. The payload is serialized with the store's own event serializer
 * to the byte[] form the JDBC engine writes, so the digest covers exactly the stored bytes (the verification
 * recomputes it from the stored rows). The chained event hands the store those very bytes ({@link ChainedEvent}):
 * each payload is serialized once, and what is stored is what was digested.
 * <p>
 * The previous digest of a case's first event in a unit of work is taken from the last event of that case this
 * instance committed, if that is the event right before it (its sequence number one less); otherwise it is read
 * from the store (a query and a row per event: the largest part of chaining). That is exact on any number of
 * instances: a (case, sequence number) is stored once, by the store's unique key, and stored events never
 * change, so a digest committed at sequence n is the stored digest at n for good. Another instance's append in
 * between makes the numbers differ, and the store is read. Only committed digests are remembered: after the
 * unit of work's commit (which runs after the outermost one's) and only when no outer transaction is still
 * open; a rollback forgets the unit of work's digests. A restart starts with none. The memory is bounded:
 * {@link #REMEMBERED_CASES} cases, the least recently chained forgotten first.
 */
class ChainingInterceptor implements MessageDispatchInterceptor<EventMessage<?>> {

    /** About 250 bytes each (case id, digest): ~12 MB for the cases in work at once in a large municipality. */
    static final int REMEMBERED_CASES = 50_000;
    private static final String HEADS = ChainingInterceptor.class.getName() + ".heads";
    private static final String CHAINED = ChainingInterceptor.class.getName() + ".chained";
    private final Serializer serializer;
    private final Supplier<EventStore> eventStore;
    private final ObjectMapper json = new ObjectMapper();
    private final ThreadLocal<Mac> mac;
    private final Map<String, Head> committed;

    /** The last chained event of a case: its sequence number and digest. */
    private record Head(long sequenceNumber, String digest) {
    }

    ChainingInterceptor(Serializer serializer, Supplier<EventStore> eventStore, LedgerKeys keys) {
        this(serializer, eventStore, keys, REMEMBERED_CASES);
    }

    ChainingInterceptor(Serializer serializer, Supplier<EventStore> eventStore, LedgerKeys keys, int rememberedCases) {
        this.serializer = serializer;
        this.eventStore = eventStore;
        this.mac = ThreadLocal.withInitial(keys::chainMac);
        this.committed = RecentlyUsed.map(rememberedCases);
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Map<String, Head> heads = heads();
        Map<String, Head> chained = chained();
        return (index, message) -> message instanceof DomainEventMessage<?> event
                ? chain(event, heads, chained) : message;
    }

    /** Digests appended in this unit of work, per aggregate: events published while committing come later. */
    private static Map<String, Head> heads() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashMap<>();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(HEADS, key -> new HashMap<String, Head>());
    }

    /**
     * The digests chained by the unit of work that appends them (the one committing now), remembered once it has
     * committed. Without a unit of work nothing says when the events are committed: they are not remembered.
     */
    private Map<String, Head> chained() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashMap<>();
        }
        UnitOfWork<?> appending = CurrentUnitOfWork.get();
        return appending.getOrComputeResource(CHAINED, key -> {
            Map<String, Head> chained = new HashMap<>();
            appending.afterCommit(unitOfWork -> remember(chained));
            return chained;
        });
    }

    private void remember(Map<String, Head> chained) {
        // A transaction still open here is an outer one that joined this unit of work's: it may yet roll back.
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return;
        }
        chained.forEach((caseId, head) -> committed.merge(
                caseId, head, (known, added) -> added.sequenceNumber() > known.sequenceNumber() ? added : known));
    }

    private String rememberedOrStoredDigest(DomainEventMessage<?> event) {
        Head last = committed.get(event.getAggregateIdentifier());
        return last != null && last.sequenceNumber() == event.getSequenceNumber() - 1
                ? last.digest() : storedDigest(event);
    }

    private EventMessage<?> chain(DomainEventMessage<?> event, Map<String, Head> heads, Map<String, Head> chained) {
        Head head = heads.get(event.getAggregateIdentifier());
        String previous;
        if (head != null) {
            previous = head.digest();
        } else {
            previous = event.getSequenceNumber() == 0 ? "" : rememberedOrStoredDigest(event);
        }
        SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
        MetaData metaData = event.getMetaData().withoutKeys(EventChain.CHAIN_KEYS);
        EventChain.Link link = new EventChain.Link(
                event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(), event.getIdentifier(),
                IsoInstants.formatMillis(event.getTimestamp()), payload.getType().getName(),
                payload.getType().getRevision(), payload.getData(), canonical(metaData));
        String payloadDigest = EventChain.payloadDigest(link.payloadType(), link.payloadRevision(), link.payload());
        String digest = EventChain.keyedDigest(mac.get(), previous, link, payloadDigest);
        Head chainedHead = new Head(event.getSequenceNumber(), digest);
        heads.put(event.getAggregateIdentifier(), chainedHead);
        chained.put(event.getAggregateIdentifier(), chainedHead);
        return new ChainedEvent<>(event, event.getMetaData().mergedWith(Map.of(
                EventChain.DIGEST, digest, EventChain.PREVIOUS, previous, EventChain.PAYLOAD_DIGEST, payloadDigest,
                EventChain.ALGORITHM, EventChain.KEYED_ALGORITHM)), serializer, payload);
    }

    /**
     * The event with its chain entries, answering the store's request for its serialized payload with the bytes
     * the digest was computed over. Axon caches a message's serialized payload, but a copy made to add metadata
     * starts without it, so the store would serialize every payload a second time. Any other serializer or form
     * is serialized as usual; a further copy (e.g. more metadata) is a plain event again.
     */
    private static final class ChainedEvent<T> extends GenericDomainEventMessage<T> {

        private final transient Serializer serializer;
        private final transient SerializedObject<byte[]> payload;

        ChainedEvent(DomainEventMessage<T> event, MetaData metaData, Serializer serializer,
                     SerializedObject<byte[]> payload) {
            super(event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(), event.getPayload(),
                  metaData, event.getIdentifier(), event.getTimestamp());
            this.serializer = serializer;
            this.payload = payload;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> SerializedObject<R> serializePayload(Serializer serializer, Class<R> expectedRepresentation) {
            if (serializer == this.serializer && expectedRepresentation == byte[].class) {
                return (SerializedObject<R>) payload;
            }
            return super.serializePayload(serializer, expectedRepresentation);
        }
    }

    private String storedDigest(DomainEventMessage<?> event) {
        Optional<? extends DomainEventMessage<?>> before = eventStore.get()
                .readEvents(event.getAggregateIdentifier(), event.getSequenceNumber() - 1)
                .asStream()
                .filter(stored -> stored.getSequenceNumber() == event.getSequenceNumber() - 1)
                .findFirst();
        // An event before the chain was introduced has no digest: the chain then starts here, and verification
        // reports the older event as missing its digest.
        return before.map(stored -> (String) stored.getMetaData().get(EventChain.DIGEST)).orElse("");
    }

    private String canonical(MetaData metaData) {
        String texts = EventChain.canonicalTexts(metaData);
        if (texts != null) {
            return texts;
        }
        try {
            byte[] serialized = serializer.serialize(metaData, byte[].class).getData();
            return EventChain.canonicalMetaData(json.readTree(serialized), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serialized metadata back", e);
        }
    }
}
