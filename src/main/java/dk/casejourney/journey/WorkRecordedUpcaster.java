package dk.casejourney.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.journey.api.WorkRecorded;
import org.springframework.stereotype.Component;

/**
 * {@link WorkRecorded} revision 1 to 2: work recorded before imports existed has no lifecycle transition and
 * no source attributes.
 */
@Component
class WorkRecordedUpcaster extends RevisionUpcaster {

    WorkRecordedUpcaster() {
        super(WorkRecorded.class, "1", "2", WorkRecordedUpcaster::toRevision2);
    }

    static JsonNode toRevision2(JsonNode revision1) {
        ObjectNode payload = revision1.deepCopy();
        payload.putNull("lifecycle");
        payload.putObject("attributes");
        return payload;
    }
}
