package dk.casejourney.importexport;

import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.xes.XesEvent;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesValue;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TraceMappingTest {

    private static XesEvent event(String activity, String group, String time, Map<String, XesValue> more) {
        Map<String, XesValue> attributes = new LinkedHashMap<>();
        attributes.put(XesEvent.ACTIVITY, XesValue.string(activity));
        if (group != null) {
            attributes.put(XesEvent.GROUP, XesValue.string(group));
        }
        attributes.put(XesEvent.RESOURCE, XesValue.string("Resource01"));
        attributes.put(XesEvent.TIMESTAMP, XesValue.date(OffsetDateTime.parse(time)));
        attributes.put(XesEvent.LIFECYCLE, XesValue.string("In Progress"));
        attributes.putAll(more);
        return new XesEvent(attributes);
    }

    private static XesTrace trace(Map<String, XesValue> attributes, XesEvent... events) {
        Map<String, XesValue> all = new LinkedHashMap<>(Map.of(XesEvent.ACTIVITY, XesValue.string("case-7")));
        all.putAll(attributes);
        return XesTrace.of(all, List.of(events));
    }

    @Test
    void eventsInTimestampOrderTiesInFileOrder_unitChangesHandedOver_resolvedAtTheLastEvent() {
        XesTrace trace = trace(Map.of("channel", XesValue.string("Desk")),
                               event("C", "Group 2", "2011-10-12T10:00:00.000+02:00", Map.of()),
                               event("A", "Group 1", "2011-10-12T09:00:00.000+02:00",
                                     Map.of("concept:instance", XesValue.string("task-1"),
                                            "cost", XesValue.integer(12))),
                               event("B", "Group 1", "2011-10-12T08:00:00.000+01:00", Map.of()));
        // A (07:00Z) and B (07:00Z) are the same instant: file order keeps A first.

        List<CaseCommand> commands = new TraceMapping(ImportMapping.defaults(), "receipt").commands(trace);

        String caseId = TraceMapping.caseId("receipt", "case-7");
        Instant seven = Instant.parse("2011-10-12T07:00:00Z");
        Instant eight = Instant.parse("2011-10-12T08:00:00Z");
        assertThat(commands).containsExactly(
                new OpenCaseCommand(caseId, "open", null, CitizenGroup.OTHER, ServiceArea.OTHER, "000", Channel.IN_PERSON,
                                    "Group 1", seven, "case-7", "receipt"),
                new RecordWorkCommand(caseId, "e0", "Group 1", "Resource01", "A", seven, seven, "In Progress",
                                      Map.of("concept:instance", "task-1", "cost", "12")),
                new RecordWorkCommand(caseId, "e1", "Group 1", "Resource01", "B", seven, seven, "In Progress", Map.of()),
                new HandOverCaseCommand(caseId, "h2", "Group 1", "Group 2",
                                        dk.casejourney.journey.api.HandoverReason.OTHER, null, eight),
                new RecordWorkCommand(caseId, "e2", "Group 2", "Resource01", "C", eight, eight, "In Progress", Map.of()),
                new ResolveCaseCommand(caseId, "resolve", "Group 2", eight));
    }

    @Test
    void caseIdsDependOnSourceAndTraceOnly() {
        assertThat(TraceMapping.caseId("receipt", "case-7")).isEqualTo(TraceMapping.caseId("receipt", "case-7"))
                                                             .isNotEqualTo(TraceMapping.caseId("receipt", "case-8"))
                                                             .isNotEqualTo(TraceMapping.caseId("other", "case-7"))
                                                             .matches("x-[0-9a-f]{32}");
    }

    @Test
    void mappingNamesAttributesValuesAndDefaults() {
        ImportMapping mapping = new ImportMapping("src", "kanal", "gruppe", null, "kommune", null,
                                                  Map.of("unge", CitizenGroup.YOUTH), null, Channel.PHONE, null,
                                                  ServiceArea.ENVIRONMENTAL_PERMIT, null, "FALLBACK", false, null);
        XesTrace trace = trace(Map.of("kanal", XesValue.string("self service"), "gruppe", XesValue.string("UNGE"),
                                      "kommune", XesValue.string("157")),
                               event("A", null, "2011-10-12T09:00:00.000+02:00", Map.of()));

        List<CaseCommand> commands = new TraceMapping(mapping, "src").commands(trace);

        OpenCaseCommand open = (OpenCaseCommand) commands.get(0);
        assertThat(open.channel()).isEqualTo(Channel.SELF_SERVICE);
        assertThat(open.citizenGroup()).isEqualTo(CitizenGroup.YOUTH);
        assertThat(open.serviceArea()).isEqualTo(ServiceArea.ENVIRONMENTAL_PERMIT);
        assertThat(open.municipality()).isEqualTo("157");
        assertThat(open.unit()).isEqualTo("FALLBACK");
        assertThat(commands).hasSize(2).noneMatch(ResolveCaseCommand.class::isInstance);
    }
}
