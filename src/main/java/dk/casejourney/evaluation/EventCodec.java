package dk.casejourney.evaluation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * A case's kept events as journey_case_events.events holds them (V152): a JSON array, in the layout V152's
     * statement writes from the earlier journey_event rows, of
     * {@code {"sequence":n,"recordedAtMicros":m,"type":"T","event":{...}}}. Written by hand around each event's JSON
     * so that both come out the same, character for character: a rebuild compares its rows with those it replaces.
     */
    String keep(List<JourneyStore.KeptEvent> events) {
        StringBuilder json = new StringBuilder(events.size() * 400).append('[');
        for (JourneyStore.KeptEvent kept : events) {
            if (json.length() > 1) {
                json.append(',');
            }
            keep(json, kept);
        }
        return json.append(']').toString();
    }

    private void keep(StringBuilder json, JourneyStore.KeptEvent kept) {
        CaseEvent event = kept.recorded().event();
        json.append("{\"sequence\":").append(kept.sequenceNumber())
            .append(",\"recordedAtMicros\":").append(micros(kept.recorded().recordedAt()))
            .append(",\"type\":\"").append(type(event))
            .append("\",\"event\":").append(encode(event)).append('}');
    }

    /**
     * The microseconds since the epoch, rounded half up as H2 and PostgreSQL round a time to their columns'
     * microseconds (the recorded time was kept in such a column before V152).
     */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                             (instant.getNano() + 500L) / 1_000L);
    }

    /** A case's kept events as {@link #keep} wrote them, in their order. */
    List<JourneyStore.KeptEvent> kept(String json) {
        List<JourneyStore.KeptEvent> events = new ArrayList<>();
        try (JsonParser parser = mapper.createParser(json)) {
            expect(parser.nextToken(), JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Long sequence = null;
                Long micros = null;
                Class<? extends CaseEvent> type = null;
                CaseEvent event = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (field) {
                        case "sequence" -> sequence = number(value, parser);
                        case "recordedAtMicros" -> micros = number(value, parser);
                        case "type" -> {
                            expect(value, JsonToken.VALUE_STRING);
                            type = eventType(parser.getText());
                        }
                        case "event" -> {
                            if (type == null) {
                                throw new IllegalStateException("journey_case_events names an event's type after it");
                            }
                            event = mapper.readValue(parser, type);
                        }
                        default -> parser.skipChildren();
                    }
                }
                if (sequence == null || micros == null || event == null) {
                    throw new IllegalStateException("journey_case_events holds an event without its sequence, time "
                                                            + "or payload");
                }
                Instant recordedAt = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                                                           Math.floorMod(micros, 1_000_000L) * 1_000L);
                events.add(new JourneyStore.KeptEvent(new RecordedEvent(event, recordedAt), sequence));
            }
            expect(parser.currentToken(), JsonToken.END_ARRAY);
            if (parser.nextToken() != null) {
                throw new IllegalStateException("journey_case_events holds more than one array in a row");
            }
        } catch (IOException e) {
            throw new IllegalStateException("journey_case_events holds malformed events", e);
        }
        return events;
    }

    private static long number(JsonToken token, JsonParser parser) throws IOException {
        expect(token, JsonToken.VALUE_NUMBER_INT);
        return parser.getLongValue();
    }

    private static void expect(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw new IllegalStateException("journey_case_events holds malformed events: " + token + " where "
                                                    + expected + " belongs");
        }
    }

    private static Class<? extends CaseEvent> eventType(String type) {
        Class<? extends CaseEvent> eventType = TYPES.get(type);
        if (eventType == null) {
            throw new IllegalStateException("journey_case_events holds an unknown event type " + type);
        }
        return eventType;
    }
}
