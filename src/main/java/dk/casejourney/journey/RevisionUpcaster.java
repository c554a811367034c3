package dk.casejourney.journey;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.function.UnaryOperator;

/**
 * Turns one stored revision of an event's JSON payload into the next. Each event change is then only its
 * payload transformation; Axon's auto-configuration registers every upcaster bean with the store.
 */
abstract class RevisionUpcaster extends SingleEventUpcaster {

    private final SimpleSerializedType from;
    private final SimpleSerializedType to;
    private final UnaryOperator<JsonNode> transformation;

    RevisionUpcaster(Class<?> eventType, String fromRevision, String toRevision,
                     UnaryOperator<JsonNode> transformation) {
        this.from = new SimpleSerializedType(eventType.getName(), fromRevision);
        this.to = new SimpleSerializedType(eventType.getName(), toRevision);
        this.transformation = transformation;
    }

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return from.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(to, JsonNode.class, transformation::apply);
    }
}
