package dk.casejourney.journey;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.casejourney.journey.api.WorkRecorded;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WorkRecordedUpcasterTest {

    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule())
                                            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
            .revisionResolver(new AnnotationRevisionResolver())
            .build();

    private IntermediateEventRepresentation upcast(String revision, String payload) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(
                "CaseAggregate", "case-1", 1, "event-1", Instant.parse("2024-03-07T10:00:00Z"),
                WorkRecorded.class.getName(), revision, payload.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        return new EventUpcasterChain(new WorkRecordedUpcaster())
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).findFirst().orElseThrow();
    }

    @Test
    void givenRevisionOneWork_whenUpcast_thenRevisionTwoWithoutLifecycleAndWithoutAttributes() {
        IntermediateEventRepresentation upcast = upcast("1", """
                {"caseId":"case-1","entryId":"e1","unit":"BACK-1","staffId":"s2","activity":"assess income",
                 "startedAt":"2024-03-07T09:00:00Z","endedAt":"2024-03-07T09:40:00Z","occurredAt":"2024-03-07T09:00:00Z"}""");

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        WorkRecorded work = serializer.deserialize(upcast.getData());
        assertThat(work).isEqualTo(new WorkRecorded("case-1", "e1", "BACK-1", "s2", "assess income",
                                                    Instant.parse("2024-03-07T09:00:00Z"),
                                                    Instant.parse("2024-03-07T09:40:00Z"),
                                                    Instant.parse("2024-03-07T09:00:00Z")));
        assertThat(work.lifecycle()).isNull();
        assertThat(work.attributes()).isEmpty();
    }

    @Test
    void givenRevisionTwoWork_whenUpcast_thenUntouched() {
        IntermediateEventRepresentation upcast = upcast("2", """
                {"caseId":"case-1","entryId":"e1","unit":"BACK-1","staffId":"s2","activity":"assess income",
                 "startedAt":"2024-03-07T09:00:00Z","endedAt":"2024-03-07T09:40:00Z","occurredAt":"2024-03-07T09:00:00Z",
                 "lifecycle":"complete","attributes":{"org:resource":"s2","concept:name":"assess"}}""");

        WorkRecorded work = serializer.deserialize(upcast.getData());
        assertThat(work.lifecycle()).isEqualTo("complete");
        assertThat(work.attributes()).isEqualTo(Map.of("org:resource", "s2", "concept:name", "assess"));
    }

    @Test
    void givenRevisionTwoWork_whenSerialized_thenTheSameBytesWhateverTheAttributeOrder() {
        WorkRecorded one = new WorkRecorded("c", "e", "u", "s", "a", null, null, null, "complete",
                                            Map.of("b", "2", "a", "1", "c", "3"));
        WorkRecorded other = new WorkRecorded("c", "e", "u", "s", "a", null, null, null, "complete",
                                              Map.of("c", "3", "a", "1", "b", "2"));

        assertThat(serializer.serialize(one, byte[].class).getData())
                .isEqualTo(serializer.serialize(other, byte[].class).getData());
        assertThat(serializer.serialize(one, byte[].class).getType().getRevision()).isEqualTo("2");
    }
}
