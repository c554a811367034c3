package dk.casejourney.journey;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CaseOpenedUpcasterTest {

    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule())
                                            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
            .revisionResolver(new AnnotationRevisionResolver())
            .build();

    private IntermediateEventRepresentation upcast(String revision, String payload) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(
                "CaseAggregate", "case-1", 0, "event-0", Instant.parse("2024-03-07T10:00:00Z"),
                CaseOpened.class.getName(), revision, payload.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        return new EventUpcasterChain(new CaseOpenedUpcaster())
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).findFirst().orElseThrow();
    }

    private static final String REVISION_1 = """
            {"caseId":"case-1","entryId":"e0","citizen":{"keyId":"k","sealedCpr":"s"},"citizenPseudonym":"P-1",
             "citizenGroup":"ELDERLY","ageBand":"AGE_50_66","serviceArea":"PENSION","municipality":"101",
             "channel":"PHONE","unit":"KBH-KC","occurredAt":"2024-03-07T09:00:00Z"}""";

    @Test
    void givenRevisionOneOpening_whenUpcast_thenRevisionTwoLiveCaseWithoutSource() {
        IntermediateEventRepresentation upcast = upcast("1", REVISION_1);

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        CaseOpened opened = serializer.deserialize(upcast.getData());
        assertThat(opened).isEqualTo(new CaseOpened("case-1", "e0", new Citizen("k", "s"), "P-1", CitizenGroup.ELDERLY,
                                                    AgeBand.AGE_50_66, ServiceArea.PENSION, "101", Channel.PHONE,
                                                    "KBH-KC", Instant.parse("2024-03-07T09:00:00Z")));
        assertThat(opened.imported()).isFalse();
    }

    @Test
    void givenRevisionTwoOpening_whenUpcast_thenUntouched() {
        IntermediateEventRepresentation upcast = upcast("2", REVISION_1.replace(
                "\"occurredAt\"", "\"sourceRef\":\"case-10011\",\"source\":\"receipt\",\"occurredAt\""));

        CaseOpened opened = serializer.deserialize(upcast.getData());
        assertThat(opened.sourceRef()).isEqualTo("case-10011");
        assertThat(opened.source()).isEqualTo("receipt");
    }
}
