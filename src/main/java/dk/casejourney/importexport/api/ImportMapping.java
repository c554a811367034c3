package dk.casejourney.importexport.api;

import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ServiceArea;

import java.util.List;
import java.util.Map;

/**
 * How an event log's traces become cases; every field is optional (see {@link #withDefaults()}).
 * <p>
 * Channel, citizen group, service area and municipality are read from the trace attribute named here, or the
 * first event's attribute of that name; a value is taken if it names the constant (any case, spaces and
 * hyphens for underscores), else looked up in the value map (keys compared ignoring case), else the default.
 *
 * @param source                the log's name for this import (case ids derive from it and the trace names, so
 *                              it must stay the same when the log is imported again); default: the log's
 *                              concept:name, else the file name
 * @param defaultUnit           the unit of events whose unit attribute is absent or a placeholder
 * @param resolveAtLastEvent    whether each case is resolved at its last event (lead time = first to last
 *                              event); false leaves imported cases open
 * @param tracesPerBatch        whole traces recorded per all-or-nothing batch
 * @param unitAttribute         the attribute naming an event's unit: the event's attribute of that name, else the
 *                              trace's (e.g. {@code org:resource}, or a trace attribute such as a department);
 *                              default {@code org:group}
 * @param notRecordedValues     values that mean "not recorded" in any attribute (compared ignoring case and
 *                              surrounding spaces); default {@link #PLACEHOLDERS}
 */
public record ImportMapping(
        String source,
        String channelAttribute,
        String citizenGroupAttribute,
        String serviceAreaAttribute,
        String municipalityAttribute,
        Map<String, Channel> channelValues,
        Map<String, CitizenGroup> citizenGroupValues,
        Map<String, ServiceArea> serviceAreaValues,
        Channel defaultChannel,
        CitizenGroup defaultCitizenGroup,
        ServiceArea defaultServiceArea,
        String defaultMunicipality,
        String defaultUnit,
        Boolean resolveAtLastEvent,
        Integer tracesPerBatch,
        String unitAttribute,
        List<String> notRecordedValues) {

    /**
     * What real logs write for "not recorded" (e.g. BPI Challenge 2013: org:resource "-"): such a value is
     * treated as absent.
     */
    public static final List<String> PLACEHOLDERS = List.of("", "-", "--", "?", "unknown", "n/a", "none", "null",
                                                            "nan", "undefined", "empty", "not recorded");

    /** Words for channels that logs commonly use (the receipt log: Internet, Desk, Post, e-mail). */
    private static final Map<String, Channel> COMMON_CHANNELS = Map.of(
            "internet", Channel.SELF_SERVICE, "web", Channel.SELF_SERVICE, "online", Channel.SELF_SERVICE,
            "desk", Channel.IN_PERSON, "counter", Channel.IN_PERSON, "post", Channel.LETTER, "mail", Channel.LETTER,
            "e-mail", Channel.EMAIL, "telephone", Channel.PHONE);

    /** A mapping without unit attribute and placeholders given (both by default). */
    public ImportMapping(String source, String channelAttribute, String citizenGroupAttribute,
                         String serviceAreaAttribute, String municipalityAttribute, Map<String, Channel> channelValues,
                         Map<String, CitizenGroup> citizenGroupValues, Map<String, ServiceArea> serviceAreaValues,
                         Channel defaultChannel, CitizenGroup defaultCitizenGroup, ServiceArea defaultServiceArea,
                         String defaultMunicipality, String defaultUnit, Boolean resolveAtLastEvent,
                         Integer tracesPerBatch) {
        this(source, channelAttribute, citizenGroupAttribute, serviceAreaAttribute, municipalityAttribute,
             channelValues, citizenGroupValues, serviceAreaValues, defaultChannel, defaultCitizenGroup,
             defaultServiceArea, defaultMunicipality, defaultUnit, resolveAtLastEvent, tracesPerBatch, null, null);
    }

    public static ImportMapping defaults() {
        return new ImportMapping(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                                 null).withDefaults();
    }

    /** Whether the value means "not recorded" (see {@link #notRecordedValues}); call on a mapping with defaults. */
    public boolean notRecorded(String value) {
        if (value == null) {
            return true;
        }
        String stripped = value.strip();
        // A loop, not a stream: asked for every attribute of every event of an import, where a stream and its
        // lambda per call were a tenth of the reading thread's CPU (docs/benchmarks.md, twenty-eighth session).
        for (String placeholder : notRecordedValues) {
            if (stripped.equalsIgnoreCase(placeholder)) {
                return true;
            }
        }
        return false;
    }

    /**
     * This mapping with every field not given filled in: attributes {@code channel}, {@code citizenGroup},
     * {@code serviceArea}, {@code municipality}; channel words of {@link #COMMON_CHANNELS}; defaults
     * SELF_SERVICE, OTHER, OTHER, municipality "000" (not known), unit "UNKNOWN"; resolved at the last event;
     * 100 traces per batch; unit attribute {@code org:group}; placeholders {@link #PLACEHOLDERS}.
     */
    public ImportMapping withDefaults() {
        return new ImportMapping(
                source, or(channelAttribute, "channel"), or(citizenGroupAttribute, "citizenGroup"),
                or(serviceAreaAttribute, "serviceArea"), or(municipalityAttribute, "municipality"),
                channelValues == null ? COMMON_CHANNELS : channelValues,
                citizenGroupValues == null ? Map.of() : citizenGroupValues,
                serviceAreaValues == null ? Map.of() : serviceAreaValues,
                or(defaultChannel, Channel.SELF_SERVICE), or(defaultCitizenGroup, CitizenGroup.OTHER),
                or(defaultServiceArea, ServiceArea.OTHER), or(defaultMunicipality, "000"), or(defaultUnit, "UNKNOWN"),
                or(resolveAtLastEvent, Boolean.TRUE), or(tracesPerBatch, 100), or(unitAttribute, "org:group"),
                notRecordedValues == null ? PLACEHOLDERS : List.copyOf(notRecordedValues));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
