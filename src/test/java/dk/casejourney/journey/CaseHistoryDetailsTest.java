package dk.casejourney.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WorkRecorded;
import dk.casejourney.privacy.InMemoryCitizenKeys;
import dk.casejourney.privacy.PersonalDataVault;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A history row's details are written straight from the event (CaseViewProjection.details). They must be the very
 * text the earlier way wrote, a JSON tree of the event with its ids and personal data taken out: rows written before
 * and after meet in one history, and a rebuild compares its rows with those it replaces, byte for byte.
 */
class CaseHistoryDetailsTest {

    private static final Instant T = Instant.parse("2024-03-04T08:15:00Z");
    private static final String[] TEXTS = {"", "KBH-KC", "caseId", "entryId", "citizen", "replacement", "Ærø \"å\" \\",
            "tab\tline\nend", "\u0001\u001f", "😀 surrogate", "</script>", "1502851236"};

    @Test
    void givenEveryKindOfEventWithRandomValues_whenItsDetailsAreWritten_thenTheyAreTheTreesText() {
        for (ObjectMapper mapper : List.of(applicationMapper(), withNulls())) {
            CaseViewProjection projection = new CaseViewProjection(new JdbcTemplate(), mapper,
                                                                   new PersonalDataVault(new InMemoryCitizenKeys()));
            Random random = new Random(20261203);
            List<Class<?>> kinds = records(CaseEvent.class);
            assertThat(kinds).hasSize(11);
            for (int i = 0; i < 3_000; i++) {
                CaseEvent event = (CaseEvent) random(kinds.get(i % kinds.size()), random, 0);
                assertThat(projection.details(event)).as("%s", event).isEqualTo(throughTree(mapper, event));
            }
        }
    }

    @Test
    void givenTheEventsAtTheEdges_whenTheirDetailsAreWritten_thenIdsAndPersonalDataAreLeftOutAndTheRestKept() {
        ObjectMapper mapper = applicationMapper();
        CaseViewProjection projection = new CaseViewProjection(new JdbcTemplate(), mapper,
                                                               new PersonalDataVault(new InMemoryCitizenKeys()));
        CaseEvent opened = new CaseOpened("c1", "e1", new Citizen("key-1", "sealed-cpr"), "P-1", CitizenGroup.YOUTH,
                                          AgeBand.AGE_18_29, ServiceArea.PARKING, "101", Channel.PHONE, "KC", T);
        ContactRecorded contact = new ContactRecorded("c1", "e2", Channel.PHONE, Direction.INBOUND, "KC", null,
                                                      ContactPurpose.QUESTION, null, T, T.plusSeconds(60), T);
        CaseEvent correction = new EntryCorrected("c1", "e3", "e2", "later", contact, T.plusSeconds(120));
        CaseEvent work = new WorkRecorded("c1", "e4", "KC", "s1", "assess", T, T, T, "complete",
                                          Map.of("caseId", "kept: an attribute, not the event's id"));
        for (CaseEvent event : List.of(opened, correction, work)) {
            assertThat(projection.details(event)).isEqualTo(throughTree(mapper, event));
        }
        assertThat(projection.details(opened)).doesNotContain("c1", "e1", "key-1", "sealed-cpr").contains("P-1");
        assertThat(projection.details(correction))
                .isEqualTo("{\"correctedEntryId\":\"e2\",\"reason\":\"later\",\"replacement\":{\"entryType\":"
                                   + "\"ContactRecorded\",\"entryId\":\"e2\",\"channel\":\"PHONE\",\"direction\":"
                                   + "\"INBOUND\",\"unit\":\"KC\",\"purpose\":\"QUESTION\",\"startedAt\":"
                                   + "\"2024-03-04T08:15:00Z\",\"endedAt\":\"2024-03-04T08:16:00Z\",\"occurredAt\":"
                                   + "\"2024-03-04T08:15:00Z\"},\"occurredAt\":\"2024-03-04T08:17:00Z\"}");
        assertThat(projection.details(work)).contains("\"attributes\":{\"caseId\":");
    }

    /** The earlier way, kept here as the reference. */
    private static String throughTree(ObjectMapper mapper, CaseEvent event) {
        ObjectNode node = mapper.valueToTree(event);
        node.remove("caseId");
        node.remove("entryId");
        node.remove("citizen");
        if (node.get("replacement") instanceof ObjectNode replacement) {
            replacement.remove("caseId");
        }
        return node.toString();
    }

    /** As application.yml configures Spring Boot's mapper for the writing side. */
    private static ObjectMapper applicationMapper() {
        return JsonMapper.builder().addModule(new JavaTimeModule())
                         .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                         .serializationInclusion(JsonInclude.Include.NON_NULL).build();
    }

    private static ObjectMapper withNulls() {
        return JsonMapper.builder().addModule(new JavaTimeModule())
                         .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }

    /** The records a sealed type permits, its sealed subtypes' included. */
    private static List<Class<?>> records(Class<?> type) {
        if (type.isRecord()) {
            return List.of(type);
        }
        List<Class<?>> all = new ArrayList<>();
        Arrays.stream(type.getPermittedSubclasses()).forEach(sub -> all.addAll(records(sub)));
        return all;
    }

    private static Object random(Class<?> type, Random random, int depth) {
        try {
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = value(components[i].getType(), components[i].getGenericType(), random, depth);
            }
            Constructor<?> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName(), e);
        }
    }

    private static Object value(Class<?> type, Type generic, Random random, int depth) {
        boolean missing = !type.isPrimitive() && random.nextInt(5) == 0;
        if (type == String.class) {
            return missing ? null : random.nextBoolean() ? TEXTS[random.nextInt(TEXTS.length)] : text(random);
        } else if (type == Instant.class) {
            return missing ? null : T.plusMillis(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
        } else if (type == LocalDate.class) {
            return missing ? null : LocalDate.of(2024, 1, 1).plusDays(random.nextInt(-40_000, 40_000));
        } else if (type == int.class || type == Integer.class) {
            return random.nextInt(-5, 10);
        } else if (type == boolean.class || type == Boolean.class) {
            return random.nextBoolean();
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return missing ? null : constants[random.nextInt(constants.length)];
        } else if (type == Map.class) {
            Type valueType = ((ParameterizedType) generic).getActualTypeArguments()[1];
            assertThat(valueType).isEqualTo(String.class);
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                map.put(TEXTS[random.nextInt(TEXTS.length)], text(random));
            }
            return missing ? null : map;
        } else if (type.isRecord() || type.isSealed()) {
            List<Class<?>> kinds = records(type);
            return missing || depth > 1 ? null : random(kinds.get(random.nextInt(kinds.size())), random, depth + 1);
        }
        throw new IllegalStateException("no random " + generic + ": add it to this test");
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0x2000);
                default -> 0x1f600 + random.nextInt(0x40);
            });
        }
        return text.toString();
    }
}
