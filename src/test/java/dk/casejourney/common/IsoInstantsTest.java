package dk.casejourney.common;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick read of instants must give exactly what the formatters give, and refuse or hand on whatever they
 * would treat otherwise: compared here on random instants in every form the ledger writes, and on texts at and past
 * the edges of the canonical form.
 */
class IsoInstantsTest {

    /** What Axon reads its stored times with (DateTimeUtils.parseInstant). */
    private static Object reference(String text) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (RuntimeException refused) {
            return refused.getClass();
        }
    }

    private static Object quick(String text) {
        try {
            return IsoInstants.parseOffsetDateTime(text);
        } catch (RuntimeException refused) {
            return refused.getClass();
        }
    }

    private static List<String> randomTexts() {
        Random random = new Random(20261203);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // Year 0 to 9999, every nanosecond count from none to nine digits.
            long seconds = Math.floorMod(random.nextLong(), 315_537_897_600L) - 62_167_219_200L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            texts.add(instant.toString());
            texts.add(DateTimeUtils.formatInstant(instant));
        }
        return texts;
    }

    @Test
    void givenTheFormsTheLedgerWrites_whenReadQuickly_thenEachGivesTheFormattersInstant() {
        for (String text : randomTexts()) {
            assertThat(IsoInstants.utc(text)).as(text).isNotNull();
            assertThat(quick(text)).as(text).isEqualTo(reference(text));
        }
    }

    @Test
    void givenTextsAtAndPastTheEdgesOfTheForm_whenRead_thenTheyGiveWhatTheFormatterGivesOrItsRefusal() {
        List<String> edges = List.of(
                "2024-02-29T23:59:59Z", "2023-02-29T12:00:00Z", "2024-04-31T00:00:00Z", "2024-12-31T24:00:00Z",
                "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z",
                "2024-01-00T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2024-01-01t00:00:00z", "2024-01-01T00:00:00z",
                "2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00.5+01:00", "2024-01-01T00:00Z",
                "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00,5Z",
                "2024-01-01 00:00:00Z", "2024-1-01T00:00:00Z", "2024-01-01T00:00:0aZ", "2024-01-01T00:00:00.12a4Z",
                "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00Z ", " 2024-01-01T00:00:00Z",
                "２０２４-01-01T00:00:00Z", "");
        for (String text : edges) {
            assertThat(quick(text)).as(text).isEqualTo(reference(text));
        }
        assertThat(IsoInstants.utc("2024-01-01T00:00:00+01:00")).as("an offset is the formatter's to read").isNull();
        assertThat(IsoInstants.utc("2023-02-29T12:00:00Z")).as("a day that does not exist").isNull();
    }

    @Test
    void givenInstantsInJson_whenReadWithTheModule_thenTheyAreWhatJacksonsOwnDeserializerReads() throws Exception {
        ObjectMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule())
                                         .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS).build();
        ObjectMapper quick = JsonMapper.builder().addModule(new JavaTimeModule())
                                       .addModule(IsoInstants.jacksonModule())
                                       .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS).build();
        List<String> values = new ArrayList<>();
        randomTexts().stream().limit(2000).forEach(text -> values.add('"' + text + '"'));
        values.addAll(List.of("\"2024-01-01T00:00:00+01:00\"", "1704067200", "1704067200.5", "\"1704067200\"",
                              "\"2024-01-01T01:00:00.123456+01:00\"", "null"));
        for (String value : values) {
            Holder expected = jackson.readValue("{\"at\":" + value + "}", Holder.class);
            Holder read = quick.readValue("{\"at\":" + value + "}", Holder.class);
            assertThat(read).as(value).isEqualTo(expected);
        }
        Instant now = Instant.parse("2026-12-03T08:04:49.756Z");
        assertThat(quick.readValue(quick.writeValueAsString(new Holder(now)), Holder.class)).isEqualTo(new Holder(now));
    }

    @Test
    void givenInstantsOfEveryPrecisionAndYear_whenFormatted_thenTheTextIsInstantsOwn() {
        for (Instant instant : instantsOfEveryPrecisionAndYear()) {
            assertThat(IsoInstants.format(instant)).as(instant::toString).isEqualTo(instant.toString());
        }
    }

    @Test
    void givenInstantsOfEveryPrecisionAndYear_whenFormattedToMillis_thenTheTextIsAxonsEventTableForm() {
        for (Instant instant : instantsOfEveryPrecisionAndYear()) {
            assertThat(textOrRefusal(() -> IsoInstants.formatMillis(instant))).as(instant::toString)
                    .isEqualTo(textOrRefusal(() -> DateTimeUtils.formatInstant(instant)));
        }
    }

    /** The text, or the class of the exception (Axon's formatter refuses instants near Instant.MIN and MAX). */
    private static Object textOrRefusal(java.util.function.Supplier<String> format) {
        try {
            return format.get();
        } catch (RuntimeException refused) {
            return refused.getClass();
        }
    }

    private static List<Instant> instantsOfEveryPrecisionAndYear() {
        Random random = new Random(20261204);
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("0000-01-01T00:00:00Z").minusNanos(1), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1), Instant.parse("1969-12-31T23:59:59.999Z"),
                Instant.ofEpochSecond(0, 1), Instant.ofEpochSecond(0, 1_000), Instant.ofEpochSecond(0, 1_000_000),
                Instant.ofEpochSecond(0, 100_000_000), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("2024-02-29T23:59:59.120Z"), Instant.parse("2024-03-31T01:00:00Z")));
        for (int i = 0; i < 50_000; i++) {
            // Mostly years 0 to 9999, a tenth anywhere an Instant can be.
            long seconds = i % 10 == 0
                    ? Math.floorMod(random.nextLong(), Instant.MAX.getEpochSecond() - Instant.MIN.getEpochSecond())
                            + Instant.MIN.getEpochSecond()
                    : Math.floorMod(random.nextLong(), 315_537_897_600L) - 62_167_219_200L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        return instants;
    }

    @Test
    void givenInstantsInJson_whenWrittenWithTheModule_thenTheTextIsWhatJacksonsOwnSerializerWrites() throws Exception {
        for (boolean asNumbers : new boolean[]{false, true}) {
            ObjectMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule())
                                             .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, asNumbers)
                                             .build();
            for (SimpleModule module : List.of(IsoInstants.jacksonModule(), IsoInstants.jacksonWriterModule())) {
                ObjectMapper quick = JsonMapper.builder().addModule(new JavaTimeModule()).addModule(module)
                                               .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, asNumbers)
                                               .build();
                for (Instant at : List.of(Instant.parse("2026-12-03T08:04:49.756Z"), Instant.ofEpochSecond(5, 1),
                                          Instant.parse("+12026-01-01T00:00:00Z"))) {
                    Formatted value = new Formatted(at, at, at, List.of(at), java.util.Map.of("k", at));
                    assertThat(quick.writeValueAsString(value)).as(asNumbers + " " + at)
                                                               .isEqualTo(jackson.writeValueAsString(value));
                }
                assertThat(quick.writeValueAsString(new Formatted(null, null, null, List.of(), java.util.Map.of())))
                        .isEqualTo(jackson.writeValueAsString(new Formatted(null, null, null, List.of(),
                                                                            java.util.Map.of())));
            }
        }
    }

    /** Instants plain, with a format of their own, and inside collections. */
    record Formatted(Instant plain,
                     @JsonFormat(shape = JsonFormat.Shape.NUMBER) Instant number,
                     @JsonFormat(pattern = "yyyy-MM-dd HH:mm", timezone = "Europe/Copenhagen") Instant pattern,
                     List<Instant> list, java.util.Map<String, Instant> map) {
    }

    record Holder(Instant at) {
    }
}
