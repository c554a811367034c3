package dk.casejourney.audit;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

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
}
