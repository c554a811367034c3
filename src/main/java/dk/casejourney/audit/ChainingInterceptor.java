package dk.casejourney.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

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
 */
class ChainingInterceptor implements MessageDispatchInterceptor<EventMessage<?>> {

    private static final String HEADS = ChainingInterceptor.class.getName() + ".heads";
    private final Serializer serializer;
    private final Supplier<EventStore> eventStore;
    private final ObjectMapper json = new ObjectMapper();
    private final ThreadLocal<Mac> mac;

    ChainingInterceptor(Serializer serializer, Supplier<EventStore> eventStore, LedgerKeys keys) {
        this.serializer = serializer;
        this.eventStore = eventStore;
        this.mac = ThreadLocal.withInitial(keys::chainMac);
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Map<String, String> heads = heads();
        return (index, message) -> message instanceof DomainEventMessage<?> event ? chain(event, heads) : message;
    }

    /** Digests appended in this unit of work, per aggregate: events published while committing come later. */
    private static Map<String, String> heads() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashMap<>();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(HEADS, key -> new HashMap<String, String>());
    }

    private EventMessage<?> chain(DomainEventMessage<?> event, Map<String, String> heads) {
        String previous = heads.get(event.getAggregateIdentifier());
        if (previous == null) {
            previous = event.getSequenceNumber() == 0 ? "" : storedDigest(event);
        }
        SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
        MetaData metaData = event.getMetaData().withoutKeys(EventChain.CHAIN_KEYS);
        EventChain.Link link = new EventChain.Link(
                event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(), event.getIdentifier(),
                DateTimeUtils.formatInstant(event.getTimestamp()), payload.getType().getName(),
                payload.getType().getRevision(), payload.getData(), canonical(metaData));
        String payloadDigest = EventChain.payloadDigest(link.payloadType(), link.payloadRevision(), link.payload());
        String digest = EventChain.keyedDigest(mac.get(), previous, link, payloadDigest);
        heads.put(event.getAggregateIdentifier(), digest);
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
        try {
            byte[] serialized = serializer.serialize(metaData, byte[].class).getData();
            return EventChain.canonicalMetaData(json.readTree(serialized), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serialized metadata back", e);
        }
    }
}
