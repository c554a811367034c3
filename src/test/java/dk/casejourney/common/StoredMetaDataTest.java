package dk.casejourney.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The ledger's serializer reads stored metadata exactly as Axon's own Jackson serializer does. */
class StoredMetaDataTest {

    private final AxonConfiguration.KnownClasses ledger =
            (AxonConfiguration.KnownClasses) new AxonConfiguration().serializer();
    private final Serializer axon = JacksonSerializer.builder().objectMapper(new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).build();

    @Test
    void givenMetadataAsTheLedgerWritesIt_whenRead_thenItIsTakenFromItsTokensAndEqualsAxonsReading() {
        MetaData written = MetaData.from(Map.of(
                "traceId", "01a23b47-a406-7e89-a30f-06551d071c9f",
                "correlationId", "01a23b47-a406-7e89-a30f-06551d071c9f",
                "recordedBy", "import:ae134f48-61bf-4a2e-8956-3d7d56fa9f36",
                "chainDigest", "3507b648dd923f12e928c31de5b41f437d0f62490043bbbb6ec5db5fedb0877c",
                "chainPrevious", "",
                "chainAlgorithm", "HMAC-SHA256"));
        byte[] json = axon.serialize(written, byte[].class).getData();

        assertThat(ledger.textOnly(json)).isEqualTo(written);
        assertThat((Object) ledger.deserialize(metaData(json))).isEqualTo(written);
    }

    @Test
    void givenRandomMetadataOfEveryJsonKind_whenRead_thenTheLedgerReadsWhatAxonReads() {
        Random random = new Random(20261203);
        int textOnly = 0;
        for (int n = 0; n < 3_000; n++) {
            Map<String, Object> values = new LinkedHashMap<>();
            int entries = random.nextInt(9);
            for (int e = 0; e < entries; e++) {
                values.put(text(random), value(random));
            }
            boolean onlyText = values.values().stream().allMatch(value -> value == null || value instanceof String);
            byte[] json = axon.serialize(MetaData.from(values), byte[].class).getData();
            assertSameReading(json);
            if (onlyText) {
                textOnly++;
                assertThat(ledger.textOnly(json)).as("read from its tokens: %s", new String(json, StandardCharsets.UTF_8))
                                                 .isNotNull();
            } else {
                assertThat(ledger.textOnly(json)).as("left to Axon: %s", new String(json, StandardCharsets.UTF_8))
                                                 .isNull();
            }
        }
        assertThat(textOnly).as("cases with text values only").isGreaterThan(300);
    }

    @Test
    void givenStoredTextsAtTheEdges_whenRead_thenTheLedgerReadsOrRefusesAsAxonDoes() {
        for (String stored : List.of("{}", "{\"a\":null}", "{\"a\":\"1\",\"a\":\"2\"}", " {\n \"a\" : \"x\" } ",
                                     "{\"a\":\"x\"} {\"b\":\"y\"}", "{\"a\":\"\\u00e6\\\"\\\\\"}", "{\"a\":1}",
                                     "{\"a\":true}", "{\"a\":1.5}", "{\"a\":{\"b\":\"c\"}}", "{\"a\":[\"b\"]}",
                                     "[]", "null", "\"text\"", "{\"a\":", "{\"a\" \"b\"}", "", "{\"a\":\"x\",}")) {
            assertSameReading(stored.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void assertSameReading(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        Object expected;
        try {
            expected = axon.deserialize(metaData(json));
        } catch (RuntimeException refused) {
            Throwable ours = catchThrowable(() -> ledger.deserialize(metaData(json)));
            assertThat(ours).as("refused as Axon refuses: %s", text).isInstanceOf(refused.getClass());
            return;
        }
        Object actual = ledger.deserialize(metaData(json));
        assertThat(actual).as(text).isEqualTo(expected);
        if (expected instanceof Map<?, ?> map) {
            map.forEach((key, value) -> assertThat(((Map<?, ?>) actual).get(key) == null ? null
                                                           : ((Map<?, ?>) actual).get(key).getClass())
                    .as("the class of %s in %s", key, text).isEqualTo(value == null ? null : value.getClass()));
        }
    }

    private static SerializedObject<byte[]> metaData(byte[] json) {
        return new SimpleSerializedObject<>(json, byte[].class, MetaData.class.getName(), null);
    }

    private static Object value(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> random.nextBoolean();
            case 3 -> random.nextDouble();
            case 4 -> Map.of(text(random), text(random));
            case 5 -> List.of(text(random));
            default -> text(random);
        };
    }

    /** Text of every kind JSON escapes or not: quotes, backslashes, controls, non-Latin letters, surrogate pairs. */
    private static String text(Random random) {
        String[] pieces = {"a", "Z", "0", "æøå", "\"", "\\", "\n", "\t", "\u0001", "/", " ", "😀", "ü", "-", "é"};
        int length = random.nextInt(12);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
