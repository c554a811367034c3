package dk.casejourney.audit;

import dk.casejourney.common.IsoInstants;
import io.axoniq.axonserver.connector.event.AggregateEventStream;
import io.axoniq.axonserver.connector.event.EventChannel;
import io.axoniq.axonserver.connector.event.EventStream;
import io.axoniq.axonserver.grpc.event.Event;
import io.axoniq.axonserver.grpc.event.EventWithToken;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.util.GrpcMetaDataConverter;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The events as Axon Server holds them, read through its connector's event channel: the server's own stored
 * form ({@link Event}), never passed through the upcasters. The payload is stored as the serializer's bytes with
 * type and revision (an empty revision meaning none, as Axon's connector reads it). The metadata is not stored
 * as bytes but as a map of typed values; it is turned back into Axon's {@link MetaData} by the connector's own
 * converter and serialized with the event serializer, which gives the JSON the chain's canonical form was
 * computed from when the event was written.
 */
final class AxonServerEvents implements EventTable {

    /** How long the stream may stay silent before the read counts as stalled. */
    private static final Duration SILENCE = Duration.ofSeconds(30);
    private static final int BUFFER = 1000;
    private final AxonServerConnectionManager connections;
    private final String context;
    private final Serializer serializer;
    private final GrpcMetaDataConverter metaData;

    AxonServerEvents(AxonServerConnectionManager connections, String context, Serializer eventSerializer) {
        this.connections = connections;
        this.context = context;
        this.serializer = eventSerializer;
        this.metaData = new GrpcMetaDataConverter(eventSerializer);
    }

    @Override
    public List<StoredEvent> ofCase(String caseId) {
        AggregateEventStream stream = channel().openAggregateStream(caseId, 0);
        try {
            List<StoredEvent> events = new ArrayList<>();
            stream.asStream().filter(event -> !event.getSnapshot()).forEach(event -> events.add(stored(-1, event)));
            return events;
        } finally {
            stream.cancel();
        }
    }

    @Override
    public long forEachAfter(long position, Consumer<StoredEvent> consumer) {
        long head = headPosition();
        long last = position;
        if (head <= position) {
            return last;
        }
        // The connector streams from the event after the token given, as Axon's own tracking does.
        EventStream stream = channel().openStream(position, BUFFER);
        try {
            while (last < head) {
                EventWithToken next = stream.nextIfAvailable(SILENCE.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    throw new IllegalStateException("Axon Server's event stream (context '" + context + "') stopped at "
                                                            + "position " + last + " before its head " + head
                                                            + stream.getError().map(e -> ": " + e).orElse(""));
                }
                last = next.getToken();
                Event event = next.getEvent();
                if (!event.getAggregateIdentifier().isEmpty()) {
                    consumer.accept(stored(last, event));
                }
            }
            return last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Axon Server's events", e);
        } finally {
            stream.close();
        }
    }

    @Override
    public long headPosition() {
        try {
            Long head = channel().getLastToken().get(SILENCE.toMillis(), TimeUnit.MILLISECONDS);
            return head == null || head < 0 ? -1 : head;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Axon Server for its head", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Axon Server (context '" + context + "') did not tell its head", e);
        }
    }

    @Override
    public String describe() {
        return "Axon Server, context '" + context + "'";
    }

    private EventChannel channel() {
        return connections.getConnection(context).eventChannel();
    }

    private StoredEvent stored(long globalIndex, Event event) {
        MetaData map = metaData.convert(event.getMetaDataMap());
        byte[] metaDataJson = serializer.serialize(map, byte[].class).getData();
        return new StoredEvent(globalIndex, event.getAggregateIdentifier(), event.getAggregateSequenceNumber(),
                               emptyAsNull(event.getAggregateType()), event.getMessageIdentifier(),
                               IsoInstants.formatMillis(Instant.ofEpochMilli(event.getTimestamp())),
                               event.getPayload().getType(), emptyAsNull(event.getPayload().getRevision()),
                               event.getPayload().getData().toByteArray(), metaDataJson);
    }

    /** Axon Server keeps "no value" as the empty string; Axon's messages and the chain have null there. */
    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
