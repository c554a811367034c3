package dk.casejourney.importexport;

import dk.casejourney.common.Identifiers;
import dk.casejourney.common.TextRules;
import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
import dk.casejourney.importexport.xes.XesEvent;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesValue;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one trace into the commands that record it as a case, through the case's own rules:
 * <ol>
 *   <li>the first event (by timestamp, ties in file order) opens the case at its unit, with the trace's name as
 *       source reference and channel, citizen group, service area and municipality by the mapping;</li>
 *   <li>every event is work: activity = concept:name, unit = the mapping's unit attribute (default org:group; the
 *       event's, else the trace's), staff = org:resource, started = ended = time:timestamp, lifecycle:transition
 *       verbatim, other attributes kept as text;</li>
 *   <li>when the unit changes between consecutive events, the case is handed over (reason OTHER) at the giving
 *       unit's last event (the earlier of the two), just after it: the case left that unit then, so the handover
 *       delay and the unit map's edge time are the gap between the two units' events;</li>
 *   <li>the case is resolved at its last event by that event's unit (unless the mapping says not to).</li>
 * </ol>
 * A value that means "not recorded" ({@link ImportMapping#notRecordedValues}, e.g. "-") is treated as absent: no
 * staff id, the default unit, the default channel, group, area or municipality, an attribute left out. Each is
 * counted in the {@link Tally}. A trace whose structure cannot make a case (an event without an activity name) is
 * refused with {@link Refused}.
 * <p>
 * A trace the ledger exported (its events name their ledger entry type) is read back as the ledger wrote it: its
 * opening and resolution events are not work, its handover events are the handovers, unit changes are not
 * handovers by themselves, and the case is resolved only if the ledger's case was.
 * Case and entry ids derive from the source and the trace, so importing the same log again names the same
 * cases and entries and the ledger refuses them as existing.
 */
final class TraceMapping {

    private static final String ENTRY_TYPE = ExportEntries.ENTRY_TYPE;

    private final ImportMapping mapping;
    private final String source;
    private final Set<String> mapped;

    TraceMapping(ImportMapping mapping, String source) {
        this.mapping = mapping.withDefaults();
        this.source = source;
        this.mapped = new HashSet<>(List.of(XesEvent.ACTIVITY, XesEvent.GROUP, XesEvent.RESOURCE, XesEvent.TIMESTAMP,
                                            XesEvent.LIFECYCLE, ENTRY_TYPE, this.mapping.unitAttribute()));
    }

    /** The trace cannot make a case; the message says why, naming the event's line. */
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Values taken as "not recorded", per attribute, value and what was recorded instead. */
    static final class Tally {
        private final Map<ImportReport.NotRecorded, Long> counts = new LinkedHashMap<>();

        void count(String attribute, String value, String recordedAs) {
            counts.merge(new ImportReport.NotRecorded(attribute, value, 0, recordedAs), 1L, Long::sum);
        }

        void addAll(Tally other) {
            other.counts.forEach((key, count) -> counts.merge(key, count, Long::sum));
        }

        List<ImportReport.NotRecorded> list() {
            List<ImportReport.NotRecorded> list = new ArrayList<>();
            counts.forEach((key, count) -> list.add(new ImportReport.NotRecorded(key.attribute(), key.value(), count,
                                                                                 key.recordedAs())));
            return list;
        }
    }

    /**
     * 32 hex digits of SHA-256 over source and trace name: stable across imports, short enough for an id. About one
     * such id in 700 holds a CPR-shaped number (e.g. x-0e84e594a6d65008c0902255330f9510: 0902255330), which the
     * ledger refuses in every path, so the case could not be read or written again; then the digest of the name with
     * a counter appended is taken instead, the first without one (as repeatable as the first).
     */
    static String caseId(String source, String traceName) {
        String name = source + "\0" + traceName;
        return Identifiers.firstWithoutCpr(attempt -> digestId(attempt == 0 ? name : name + "\0" + attempt));
    }

    /**
     * The id imports before 2026-12-01 gave the trace, where it differs from {@link #caseId} (it holds a CPR-shaped
     * number), else null: a case recorded under it means the trace is imported already.
     */
    static String earlierCaseId(String source, String traceName) {
        String first = digestId(source + "\0" + traceName);
        return TextRules.containsCprShaped(first) ? first : null;
    }

    private static String digestId(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "x-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    List<CaseCommand> commands(XesTrace trace) {
        return commands(trace, new Tally());
    }

    /**
     * The commands for the trace, the opening first; {@code trace} must have a name and at least one event.
     *
     * @param tally counts the values taken as "not recorded"
     * @throws Refused if an event has no activity name
     */
    List<CaseCommand> commands(XesTrace trace, Tally tally) {
        String caseId = caseId(source, trace.name());
        List<XesEvent> events = new ArrayList<>(trace.events());
        for (XesEvent event : events) {
            if (event.activity() == null || mapping.notRecorded(event.activity())) {
                throw new Refused("the event at line " + event.line() + " has no activity name (concept:name)");
            }
        }
        // List.sort is stable: events at the same instant keep their file order.
        events.sort(Comparator.comparing(event -> event.timestamp().toInstant()));
        XesEvent first = events.get(0);
        List<CaseCommand> commands = new ArrayList<>(events.size() + 4);
        List<String> units = new ArrayList<>(events.size());
        for (XesEvent event : events) {
            units.add(unit(trace, event, tally));
        }
        commands.add(new OpenCaseCommand(
                caseId, "open", null,
                value(trace, first, mapping.citizenGroupAttribute(), mapping.citizenGroupValues(),
                      CitizenGroup.class, mapping.defaultCitizenGroup(), tally),
                value(trace, first, mapping.serviceAreaAttribute(), mapping.serviceAreaValues(),
                      ServiceArea.class, mapping.defaultServiceArea(), tally),
                municipality(trace, first, tally),
                value(trace, first, mapping.channelAttribute(), mapping.channelValues(),
                      Channel.class, mapping.defaultChannel(), tally),
                units.get(0), first.timestamp().toInstant(), trace.name(), source));
        String holder = units.get(0);
        String lastUnit = holder;
        Instant last = null;
        boolean ledgerTrace = events.stream().anyMatch(event -> event.attributes().containsKey(ENTRY_TYPE));
        boolean resolved = !ledgerTrace;
        for (int i = 0; i < events.size(); i++) {
            XesEvent event = events.get(i);
            String unit = units.get(i);
            Instant at = event.timestamp().toInstant();
            String entryType = Attributes.text(event, ENTRY_TYPE);
            if (ledgerTrace) {
                last = at;
                lastUnit = unit;
                // Exported by a ledger: its openings and resolutions are the first and last events, and its
                // handovers are explicit; a unit change without one is no handover.
                if ("CaseOpened".equals(entryType) || "CaseResolved".equals(entryType)) {
                    resolved = "CaseResolved".equals(entryType);
                    continue;
                }
                resolved = resolved && !"CaseReopened".equals(entryType);
                if ("CaseHandedOver".equals(entryType)) {
                    String to = Attributes.text(event, ExportEntries.HANDOVER_TO);
                    if (to != null && !to.equals(holder)) {
                        commands.add(new HandOverCaseCommand(caseId, "h" + i, holder, to, HandoverReason.OTHER, null,
                                                             at));
                        holder = to;
                    }
                    continue;
                }
            } else if (!unit.equals(holder)) {
                // The case left the giving unit at that unit's last event, the one before this.
                commands.add(new HandOverCaseCommand(caseId, "h" + i, holder, unit, HandoverReason.OTHER, null,
                                                     last));
                holder = unit;
            }
            last = at;
            lastUnit = unit;
            commands.add(new RecordWorkCommand(caseId, "e" + i, unit, staff(event, tally), event.activity(), at, at,
                                               lifecycle(event, tally), otherAttributes(event, tally)));
        }
        if (mapping.resolveAtLastEvent() && resolved) {
            commands.add(new ResolveCaseCommand(caseId, "resolve", lastUnit, last));
        }
        return commands;
    }

    /** Reads string attributes of events. */
    private static final class Attributes {
        static String text(XesEvent event, String key) {
            XesValue value = event.attributes().get(key);
            return value == null ? null : TraceMapping.text(value);
        }
    }

    /** The unit attribute of the event, else of the trace; absent or "not recorded": the default unit. */
    private String unit(XesTrace trace, XesEvent event, Tally tally) {
        String attribute = mapping.unitAttribute();
        XesValue value = event.attributes().get(attribute);
        if (value == null) {
            value = trace.attributes().get(attribute);
        }
        String text = value == null ? null : text(value);
        if (text == null || mapping.notRecorded(text)) {
            tally.count(attribute, text, "unit " + mapping.defaultUnit());
            return mapping.defaultUnit();
        }
        return text.strip();
    }

    private String staff(XesEvent event, Tally tally) {
        String resource = event.resource();
        if (resource != null && mapping.notRecorded(resource)) {
            tally.count(XesEvent.RESOURCE, resource, "no staff id");
            return null;
        }
        return resource == null ? null : resource.strip();
    }

    private String lifecycle(XesEvent event, Tally tally) {
        String lifecycle = event.lifecycle();
        if (lifecycle != null && mapping.notRecorded(lifecycle)) {
            tally.count(XesEvent.LIFECYCLE, lifecycle, "no lifecycle transition");
            return null;
        }
        return lifecycle;
    }

    private String municipality(XesTrace trace, XesEvent first, Tally tally) {
        String text = text(trace, first, mapping.municipalityAttribute());
        if (text != null && mapping.notRecorded(text)) {
            tally.count(mapping.municipalityAttribute(), text, "municipality " + mapping.defaultMunicipality());
            return mapping.defaultMunicipality();
        }
        return text == null ? mapping.defaultMunicipality() : text.strip();
    }

    private <E extends Enum<E>> E value(XesTrace trace, XesEvent first, String attribute, Map<String, E> values,
                                        Class<E> type, E fallback, Tally tally) {
        String text = text(trace, first, attribute);
        if (text == null) {
            return fallback;
        }
        if (mapping.notRecorded(text)) {
            tally.count(attribute, text, type.getSimpleName() + " " + fallback);
            return fallback;
        }
        String name = text.strip().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        for (Map.Entry<String, E> entry : values.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(text.strip())) {
                return entry.getValue();
            }
        }
        return fallback;
    }

    private static String text(XesTrace trace, XesEvent first, String attribute) {
        XesValue value = trace.attributes().get(attribute);
        if (value == null) {
            value = first.attributes().get(attribute);
        }
        return value == null ? null : text(value);
    }

    /**
     * Attributes other than those mapped to fields, as text; lists and containers have no text and are left out,
     * and so are values that mean "not recorded".
     */
    private Map<String, String> otherAttributes(XesEvent event, Tally tally) {
        Map<String, String> other = new LinkedHashMap<>();
        event.attributes().forEach((key, value) -> {
            String text = mapped.contains(key) ? null : text(value);
            if (text != null && mapping.notRecorded(text)) {
                tally.count(key, text, "left out");
            } else if (text != null) {
                other.put(key, text);
            }
        });
        return other;
    }

    static String text(XesValue value) {
        if (value instanceof XesValue.StringValue v) {
            return v.value();
        } else if (value instanceof XesValue.DateValue v) {
            return v.value().toString();
        } else if (value instanceof XesValue.IntValue v) {
            return Long.toString(v.value());
        } else if (value instanceof XesValue.FloatValue v) {
            return Double.toString(v.value());
        } else if (value instanceof XesValue.BooleanValue v) {
            return Boolean.toString(v.value());
        } else if (value instanceof XesValue.IdValue v) {
            return v.value();
        }
        return null;
    }
}
