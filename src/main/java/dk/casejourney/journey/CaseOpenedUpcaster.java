package dk.casejourney.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.casejourney.journey.api.CaseOpened;
import org.springframework.stereotype.Component;

/** {@link CaseOpened} revision 1 to 2: cases opened before imports existed are live cases without a source. */
@Component
class CaseOpenedUpcaster extends RevisionUpcaster {

    CaseOpenedUpcaster() {
        super(CaseOpened.class, "1", "2", CaseOpenedUpcaster::toRevision2);
    }

    static JsonNode toRevision2(JsonNode revision1) {
        ObjectNode payload = revision1.deepCopy();
        payload.putNull("sourceRef");
        payload.putNull("source");
        return payload;
    }
}
