package dk.casejourney.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.casejourney.common.IsoInstants;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.WorkRecorded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the journey read model keeps a case's events: JSON by simple type name, with the citizen's personal
 * data left out (the figures never need it, and erasure must not have to reach this table).
 */
final class EventCodec {

    private static final Map<String, Class<? extends CaseEvent>> TYPES = List.of(
            CaseOpened.class, ContactRecorded.class, CaseHandedOver.class, InformationRequested.class,
            InformationProvided.class, WorkRecorded.class, DecisionRecorded.class, CaseResolved.class,
            CaseReopened.class, SatisfactionRecorded.class, EntryCorrected.class)
            .stream().collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private final ObjectMapper mapper = JsonMapper.builder()
                                                  .addModule(new JavaTimeModule())
                                                  .addModule(IsoInstants.jacksonModule())
                                                  .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                                  .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                                  .build();

    static String type(CaseEvent event) {
        return event.getClass().getSimpleName();
    }

    String encode(CaseEvent event) {
        CaseEvent stored = event instanceof CaseOpened o
                ? new CaseOpened(o.caseId(), o.entryId(), null, o.citizenPseudonym(), o.citizenGroup(), o.ageBand(),
                                 o.serviceArea(), o.municipality(), o.channel(), o.unit(), o.occurredAt(),
                                 o.sourceRef(), o.source())
                : event;
        try {
            return mapper.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type(event), e);
        }
    }

    /** A small value (e.g. repeated activities) as JSON for a text column. */
    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    Map<String, Integer> counts(String json) {
        try {
            return mapper.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Integer>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journey_case holds malformed repeated activities", e);
        }
    }

    /** A path kept as a JSON array of node names. */
    List<String> path(String json) {
        try {
            return mapper.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journey_path holds a malformed path", e);
        }
    }

    /** A path's gaps kept as a JSON array of milliseconds, the time from each node to the next. */
    long[] gaps(String json) {
        try {
            return mapper.readValue(json, long[].class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journey_path holds malformed gaps", e);
        }
    }

    CaseEvent decode(String type, String payload) {
        Class<? extends CaseEvent> eventType = TYPES.get(type);
        if (eventType == null) {
            throw new IllegalStateException("journey_event holds an unknown event type " + type);
        }
        try {
            return mapper.readValue(payload, eventType);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journey_event holds a malformed " + type, e);
        }
    }
}
