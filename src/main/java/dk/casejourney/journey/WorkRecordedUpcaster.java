package dk.casejourney.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.journey.api.WorkRecorded;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.stereotype.Component;

/**
 * {@link WorkRecorded} revision 1 to 2: work recorded before imports existed has no lifecycle transition and
 * no source attributes. Axon's auto-configuration registers every {@code EventUpcaster} bean with the store.
 */
@Component
class WorkRecordedUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(WorkRecorded.class.getName(), "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(WorkRecorded.class.getName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, WorkRecordedUpcaster::toRevision2);
    }

    static JsonNode toRevision2(JsonNode revision1) {
        ObjectNode payload = revision1.deepCopy();
        payload.putNull("lifecycle");
        payload.putObject("attributes");
        return payload;
    }
}
