package dk.casejourney.evaluation.api;

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

    public static Dimension ofParameter(String name) {
        for (Dimension dimension : values()) {
            if (dimension.parameter.equals(name)) {
                return dimension;
            }
        }
        throw new IllegalArgumentException("unknown dimension " + name);
    }
}
