package dk.casejourney.evaluation.api;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ServiceArea;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the evaluation filters and groups cases by. A case's channel is its first channel and its unit is
 * the unit it was opened at (its entrance); month, quarter and year are of its opening, Copenhagen time.
 */
public enum Dimension {
    CITIZEN_GROUP("citizenGroup", true),
    AGE_BAND("ageBand", true),
    SERVICE_AREA("serviceArea", true),
    CHANNEL("channel", true),
    UNIT("unit", true),
    MUNICIPALITY("municipality", true),
    MONTH("month", false),
    QUARTER("quarter", false),
    YEAR("year", false);

    private final String parameter;
    private final boolean filter;

    Dimension(String parameter, boolean filter) {
        this.parameter = parameter;
        this.filter = filter;
    }

    /** The name in request parameters, JSON and CSV. */
    public String parameter() {
        return parameter;
    }

    /** Whether cases can be filtered by it (periods are filtered by from/to instead). */
    public boolean filter() {
        return filter;
    }

    /**
     * A filter value as the evaluation stores it: enum dimensions by constant name (any case), the others as
     * given.
     *
     * @throws RuleViolation naming the parameter when the value is not one of the dimension's values
     */
    public String filterValue(String value) {
        Class<? extends Enum<?>> type = switch (this) {
            case CITIZEN_GROUP -> CitizenGroup.class;
            case AGE_BAND -> AgeBand.class;
            case SERVICE_AREA -> ServiceArea.class;
            case CHANNEL -> Channel.class;
            default -> null;
        };
        if (type == null) {
            if (value.isEmpty() || value.length() > 100) {
                throw RuleViolation.invalid(parameter, "must be 1-100 characters");
            }
            return value;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(upper::equals).findFirst()
                     .orElseThrow(() -> RuleViolation.invalid(parameter, "must be one of "
                             + Arrays.toString(type.getEnumConstants())));
    }

    public static Dimension ofParameter(String name) {
        for (Dimension dimension : values()) {
            if (dimension.parameter.equals(name)) {
                return dimension;
            }
        }
        throw new IllegalArgumentException("unknown dimension " + name);
    }
}
