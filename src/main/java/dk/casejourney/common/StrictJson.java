package dk.casejourney.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The web's JSON is read strictly: every value must have the documented JSON type (a string for texts, CPR
 * numbers, times and dates; a whole number for whole numbers; true/false for booleans), nothing is coerced or
 * truncated (3.5 is not 3, "4" is not 4, 2906841357 is not a CPR string), a key given twice and content after
 * the body are refused, and nesting and sizes are bounded. Stored events are read by Axon's own mapper, not
 * this one.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    /** Deeper than any body of the API; a bound so that no request recurses without end. */
    static final int MAX_NESTING = 50;

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictJsonCustomizer() {
        return builder -> builder
                .featuresToEnable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                                  DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                                  DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                                  DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                                  DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                                   DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                                   MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .postConfigurer(mapper -> {
                    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING).maxNumberLength(30).maxStringLength(1_000_000).build());
                    // Scalars are made only from a JSON value of their own shape.
                    for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                                                    LogicalType.Boolean, LogicalType.Enum, LogicalType.DateTime)) {
                        var config = mapper.coercionConfigFor(type);
                        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                                                                CoercionInputShape.Boolean, CoercionInputShape.String,
                                                                CoercionInputShape.EmptyString)) {
                            boolean own = switch (type) {
                                case Textual -> shape == CoercionInputShape.String
                                        || shape == CoercionInputShape.EmptyString;
                                case Integer -> shape == CoercionInputShape.Integer;
                                case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
                                case Enum, DateTime -> shape == CoercionInputShape.String;
                                default -> false;
                            };
                            if (!own) {
                                config.setCoercion(shape, CoercionAction.Fail);
                            }
                        }
                    }
                    mapper.registerModule(new SimpleModule("strict-times")
                                                  .addDeserializer(Instant.class, new StrictInstant())
                                                  .addDeserializer(LocalDate.class, new StrictLocalDate()));
                });
    }

    /** A time is a string with an offset, e.g. 2024-03-01T09:30:00+01:00; never a number of seconds. */
    static final class StrictInstant extends StdScalarDeserializer<Instant> {

        StrictInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText().strip();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text,
                                                                "not an ISO-8601 date-time with offset");
            }
        }
    }

    /** A date is a string, e.g. 2024-03-01; never a number of days or an array. */
    static final class StrictLocalDate extends StdScalarDeserializer<LocalDate> {

        StrictLocalDate() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (LocalDate) context.handleUnexpectedToken(LocalDate.class, parser);
            }
            String text = parser.getText().strip();
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                return (LocalDate) context.handleWeirdStringValue(LocalDate.class, text, "not an ISO-8601 date");
            }
        }
    }
}
