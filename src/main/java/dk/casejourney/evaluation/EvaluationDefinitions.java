package dk.casejourney.evaluation;

import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.ContactPurpose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The evaluation's own definitions, kept in {@code projections/evaluation/definitions.properties} so that
 * they are reviewed like code and shipped with the jar.
 */
record EvaluationDefinitions(Set<ContactPurpose> avoidablePurposes, Set<Channel> digitalChannels) {

    static final String RESOURCE = "/projections/evaluation/definitions.properties";

    EvaluationDefinitions {
        avoidablePurposes = Set.copyOf(avoidablePurposes);
        digitalChannels = Set.copyOf(digitalChannels);
    }

    static EvaluationDefinitions load() {
        Properties properties = new Properties();
        try (InputStream in = EvaluationDefinitions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EvaluationDefinitions(
                parse(properties, "avoidable-purposes", ContactPurpose.class, ContactPurpose::valueOf),
                parse(properties, "digital-channels", Channel.class, Channel::valueOf));
    }

    private static <E extends Enum<E>> Set<E> parse(Properties properties, String key, Class<E> type,
                                                    Function<String, E> valueOf) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(RESOURCE + ": " + key + " is missing");
        }
        Set<E> set = EnumSet.noneOf(type);
        Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(valueOf).forEach(set::add);
        return set;
    }

    boolean avoidable(ContactPurpose purpose) {
        return avoidablePurposes.contains(purpose);
    }

    boolean digital(Channel channel) {
        return digitalChannels.contains(channel);
    }
}
