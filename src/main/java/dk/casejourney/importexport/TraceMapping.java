package dk.casejourney.importexport;

import dk.casejourney.importexport.api.ImportMapping;
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
 *   <li>every event is work: activity = concept:name, unit = org:group, staff = org:resource, started = ended =
 *       time:timestamp, lifecycle:transition verbatim, other attributes kept as text;</li>
 *   <li>when the unit changes between consecutive events, the case is handed over (reason OTHER) at the later
 *       event's time, just before it;</li>
 *   <li>the case is resolved at its last event by that event's unit (unless the mapping says not to).</li>
 * </ol>
 * A trace the ledger exported (its events name their ledger entry type) is read back as the ledger wrote it: its
 * opening and resolution events are not work, its handover events are the handovers, unit changes are not
 * handovers by themselves, and the case is resolved only if the ledger's case was.
 * Case and entry ids derive from the source and the trace, so importing the same log again names the same
 * cases and entries and the ledger refuses them as existing.
 */
final class TraceMapping {

    private static final String ENTRY_TYPE = ExportEntries.ENTRY_TYPE;
    private static final Set<String> MAPPED = Set.of(XesEvent.ACTIVITY, XesEvent.GROUP, XesEvent.RESOURCE,
                                                     XesEvent.TIMESTAMP, XesEvent.LIFECYCLE, ENTRY_TYPE);

    private final ImportMapping mapping;
    private final String source;

    TraceMapping(ImportMapping mapping, String source) {
        this.mapping = mapping.withDefaults();
        this.source = source;
    }

    /** 32 hex digits of SHA-256 over source and trace name: stable across imports, short enough for an id. */
    static String caseId(String source, String traceName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                                         .digest((source + "\0" + traceName).getBytes(StandardCharsets.UTF_8));
            return "x-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The commands for the trace, the opening first; {@code trace} must have a name and at least one event. */
    List<CaseCommand> commands(XesTrace trace) {
        String caseId = caseId(source, trace.name());
        List<XesEvent> events = new ArrayList<>(trace.events());
        // List.sort is stable: events at the same instant keep their file order.
        events.sort(Comparator.comparing(event -> event.timestamp().toInstant()));
        XesEvent first = events.get(0);
        List<CaseCommand> commands = new ArrayList<>(events.size() + 4);
        commands.add(new OpenCaseCommand(
                caseId, "open", null,
                value(trace, first, mapping.citizenGroupAttribute(), mapping.citizenGroupValues(),
                      CitizenGroup.class, mapping.defaultCitizenGroup()),
                value(trace, first, mapping.serviceAreaAttribute(), mapping.serviceAreaValues(),
                      ServiceArea.class, mapping.defaultServiceArea()),
                municipality(trace, first),
                value(trace, first, mapping.channelAttribute(), mapping.channelValues(),
                      Channel.class, mapping.defaultChannel()),
                unit(first), first.timestamp().toInstant(), trace.name(), source));
        String holder = unit(first);
        String lastUnit = holder;
        Instant last = null;
        boolean ledgerTrace = events.stream().anyMatch(event -> event.attributes().containsKey(ENTRY_TYPE));
        boolean resolved = !ledgerTrace;
        for (int i = 0; i < events.size(); i++) {
            XesEvent event = events.get(i);
            String unit = unit(event);
            Instant at = event.timestamp().toInstant();
            last = at;
            lastUnit = unit;
            String entryType = Attributes.text(event, ENTRY_TYPE);
            if (ledgerTrace) {
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
                commands.add(new HandOverCaseCommand(caseId, "h" + i, holder, unit, HandoverReason.OTHER, null, at));
                holder = unit;
            }
            commands.add(new RecordWorkCommand(caseId, "e" + i, unit, event.resource(), event.activity(), at, at,
                                               event.lifecycle(), otherAttributes(event)));
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

    private String unit(XesEvent event) {
        String group = event.group();
        return group == null || group.isBlank() ? mapping.defaultUnit() : group;
    }

    private String municipality(XesTrace trace, XesEvent first) {
        String text = text(trace, first, mapping.municipalityAttribute());
        return text == null ? mapping.defaultMunicipality() : text.strip();
    }

    private static <E extends Enum<E>> E value(XesTrace trace, XesEvent first, String attribute, Map<String, E> values,
                                               Class<E> type, E fallback) {
        String text = text(trace, first, attribute);
        if (text == null) {
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

    /** Attributes other than those mapped to fields, as text; lists and containers have no text and are left out. */
    private static Map<String, String> otherAttributes(XesEvent event) {
        Map<String, String> other = new LinkedHashMap<>();
        event.attributes().forEach((key, value) -> {
            String text = MAPPED.contains(key) ? null : text(value);
            if (text != null) {
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
