package dk.casejourney.importexport;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseOpened;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes journeys as OCEL 2.0 JSON, streamed with a {@link JsonGenerator}: object types {@code case},
 * {@code citizen} (by pseudonym only) and {@code unit}; one event per ledger entry (satisfaction scores left out),
 * typed by its activity, related to its case ("case"), its citizen ("citizen") and its unit ("performed by"; for
 * a handover "handed from" and "handed to").
 * <p>
 * Events are written as they are read, case by case. The objects follow the events (JSON members have no order),
 * so only the objects are held until the end: one small record per case, citizen and unit, never the events.
 */
@Component
class OcelExport {

    /** Every attribute is written as text: the ledger keeps imported attributes as text. */
    private static final String STRING_TYPE = "string";

    private final LedgerJourneys journeys;
    private final JsonFactory factory = new JsonFactory();

    OcelExport(LedgerJourneys journeys) {
        this.journeys = journeys;
    }

    private record CaseObject(String id, String citizen, String opened, Map<String, String> attributes) {
    }

    /** @return the number of events written */
    long write(EvaluationCriteria criteria, OutputStream out) {
        Map<String, Set<String>> eventTypes = new TreeMap<>();
        Map<String, CaseObject> cases = new LinkedHashMap<>();
        Map<String, String> citizens = new LinkedHashMap<>();
        Set<String> units = new TreeSet<>();
        long[] events = {0};
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // On a failure part-way, closing must not complete the open arrays and objects: a truncated export
            // has to stay recognisably broken, never become a well-formed file that silently lacks cases.
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            json.writeStartObject();
            json.writeArrayFieldStart("events");
            journeys.forEach(criteria, journey -> {
                try {
                    CaseOpened opened = journey.opened();
                    String caseObject = "case:" + opened.caseId();
                    String citizenObject = "citizen:" + opened.citizenPseudonym();
                    cases.put(caseObject, caseObject(opened, caseObject, citizenObject));
                    citizens.put(citizenObject, opened.ageBand().name());
                    for (CaseEvent event : journey.entries()) {
                        ExportEntries.Entry entry = ExportEntries.of(event);
                        if (entry == null) {
                            continue;
                        }
                        units.add(entry.unit());
                        writeEvent(json, opened.caseId() + ":" + event.entryId(), entry, caseObject, citizenObject,
                                   eventTypes);
                        events[0]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            json.writeEndArray();
            writeObjects(json, cases, citizens, units);
            writeEventTypes(json, eventTypes);
            writeObjectTypes(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events[0];
    }

    private static CaseObject caseObject(CaseOpened opened, String id, String citizen) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("caseId", opened.caseId());
        if (opened.sourceRef() != null) {
            attributes.put("sourceRef", opened.sourceRef());
        }
        attributes.put("serviceArea", opened.serviceArea().name());
        attributes.put("citizenGroup", opened.citizenGroup().name());
        attributes.put("channel", opened.channel().name());
        attributes.put("municipality", opened.municipality());
        return new CaseObject(id, citizen, opened.occurredAt().atZone(ExportEntries.ZONE).toOffsetDateTime().toString(),
                              attributes);
    }

    private static void writeEvent(JsonGenerator json, String id, ExportEntries.Entry entry, String caseObject,
                                   String citizenObject, Map<String, Set<String>> eventTypes) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("lifecycle", entry.lifecycle());
        if (entry.staff() != null) {
            attributes.put("staff", entry.staff());
        }
        entry.attributes().forEach(attributes::putIfAbsent);
        eventTypes.computeIfAbsent(entry.activity(), type -> new LinkedHashSet<>()).addAll(attributes.keySet());
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeStringField("type", entry.activity());
        json.writeStringField("time", entry.time().toString());
        json.writeArrayFieldStart("attributes");
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            json.writeStartObject();
            json.writeStringField("name", attribute.getKey());
            json.writeStringField("value", attribute.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("relationships");
        relationship(json, caseObject, "case");
        relationship(json, citizenObject, "citizen");
        if (entry.toUnit() != null) {
            relationship(json, "unit:" + entry.unit(), "handed from");
            relationship(json, "unit:" + entry.toUnit(), "handed to");
        } else {
            relationship(json, "unit:" + entry.unit(), "performed by");
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void relationship(JsonGenerator json, String objectId, String qualifier) throws IOException {
        json.writeStartObject();
        json.writeStringField("objectId", objectId);
        json.writeStringField("qualifier", qualifier);
        json.writeEndObject();
    }

    private static void writeObjects(JsonGenerator json, Map<String, CaseObject> cases, Map<String, String> citizens,
                                     Set<String> units) throws IOException {
        json.writeArrayFieldStart("objects");
        for (CaseObject object : cases.values()) {
            json.writeStartObject();
            json.writeStringField("id", object.id());
            json.writeStringField("type", "case");
            json.writeArrayFieldStart("attributes");
            for (Map.Entry<String, String> attribute : object.attributes().entrySet()) {
                objectAttribute(json, attribute.getKey(), attribute.getValue(), object.opened());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("relationships");
            relationship(json, object.citizen(), "of citizen");
            json.writeEndArray();
            json.writeEndObject();
        }
        for (Map.Entry<String, String> citizen : citizens.entrySet()) {
            json.writeStartObject();
            json.writeStringField("id", citizen.getKey());
            json.writeStringField("type", "citizen");
            json.writeArrayFieldStart("attributes");
            objectAttribute(json, "ageBand", citizen.getValue(), "1970-01-01T00:00:00Z");
            json.writeEndArray();
            json.writeArrayFieldStart("relationships");
            json.writeEndArray();
            json.writeEndObject();
        }
        for (String unit : units) {
            json.writeStartObject();
            json.writeStringField("id", "unit:" + unit);
            json.writeStringField("type", "unit");
            json.writeArrayFieldStart("attributes");
            json.writeEndArray();
            json.writeArrayFieldStart("relationships");
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void objectAttribute(JsonGenerator json, String name, String value, String time) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("value", value);
        // OCEL object attributes carry the time from which they hold: a case's facts from its opening on.
        json.writeStringField("time", time);
        json.writeEndObject();
    }

    private static void writeEventTypes(JsonGenerator json, Map<String, Set<String>> eventTypes) throws IOException {
        json.writeArrayFieldStart("eventTypes");
        for (Map.Entry<String, Set<String>> type : eventTypes.entrySet()) {
            json.writeStartObject();
            json.writeStringField("name", type.getKey());
            json.writeArrayFieldStart("attributes");
            for (String attribute : type.getValue()) {
                attributeType(json, attribute);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeObjectTypes(JsonGenerator json) throws IOException {
        json.writeArrayFieldStart("objectTypes");
        objectType(json, "case", "caseId", "sourceRef", "serviceArea", "citizenGroup", "channel", "municipality");
        objectType(json, "citizen", "ageBand");
        objectType(json, "unit");
        json.writeEndArray();
    }

    private static void objectType(JsonGenerator json, String name, String... attributes) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeArrayFieldStart("attributes");
        for (String attribute : attributes) {
            attributeType(json, attribute);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void attributeType(JsonGenerator json, String name) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("type", STRING_TYPE);
        json.writeEndObject();
    }
}
