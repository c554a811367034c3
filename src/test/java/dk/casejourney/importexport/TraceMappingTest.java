package dk.casejourney.importexport;

import dk.casejourney.importexport.api.ImportMapping;
import dk.casejourney.importexport.api.ImportReport;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void givenEventsOutOfOrderAndAUnitChange_whenMapped_thenTimestampOrderTiesInFileOrder_handedOverAtTheGivingUnitsLastEvent_resolvedAtTheLastEvent() {
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
                // Handed over when the case left Group 1: at Group 1's last event (B, 07:00Z), not at C.
                new HandOverCaseCommand(caseId, "h2", "Group 1", "Group 2",
                                        dk.casejourney.journey.api.HandoverReason.OTHER, null, seven),
                new RecordWorkCommand(caseId, "e2", "Group 2", "Resource01", "C", eight, eight, "In Progress", Map.of()),
                new ResolveCaseCommand(caseId, "resolve", "Group 2", eight));
    }

    @Test
    void givenSourceAndTrace_whenCaseIdDerived_thenItDependsOnSourceAndTraceOnly() {
        assertThat(TraceMapping.caseId("receipt", "case-7")).isEqualTo(TraceMapping.caseId("receipt", "case-7"))
                                                             .isNotEqualTo(TraceMapping.caseId("receipt", "case-8"))
                                                             .isNotEqualTo(TraceMapping.caseId("other", "case-7"))
                                                             .matches("x-[0-9a-f]{32}");
    }

    @Test
    void givenAMappingNamingAttributesValuesAndDefaults_whenMapped_thenTheyAreUsed() {
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

    private static XesEvent event(String activity, Map<String, XesValue> attributes, String time) {
        Map<String, XesValue> all = new LinkedHashMap<>();
        all.put(XesEvent.ACTIVITY, XesValue.string(activity));
        all.putAll(attributes);
        all.put(XesEvent.TIMESTAMP, XesValue.date(OffsetDateTime.parse(time)));
        return new XesEvent(all);
    }

    @Test
    void givenPlaceholdersForResourceGroupAndOtherAttributes_whenMapped_thenTheyAreNotRecordedAndCountedByAttributeAndValue() {
        XesTrace trace = trace(Map.of("channel", XesValue.string("unknown")),
                               event("A", Map.of(XesEvent.GROUP, XesValue.string("-"), XesEvent.RESOURCE,
                                                 XesValue.string("-"), "impact", XesValue.string("N/A")),
                                     "2013-01-01T10:00:00+01:00"),
                               event("B", Map.of(XesEvent.GROUP, XesValue.string("V5 3rd"), XesEvent.RESOURCE,
                                                 XesValue.string(" "), "impact", XesValue.string("High")),
                                     "2013-01-01T11:00:00+01:00"),
                               event("C", Map.of(XesEvent.GROUP, XesValue.string("V5 3rd"), XesEvent.RESOURCE,
                                                 XesValue.string("-")), "2013-01-01T12:00:00+01:00"));
        TraceMapping.Tally tally = new TraceMapping.Tally();

        List<CaseCommand> commands = new TraceMapping(ImportMapping.defaults(), "bpi").commands(trace, tally);

        List<RecordWorkCommand> work = commands.stream().filter(RecordWorkCommand.class::isInstance)
                                               .map(RecordWorkCommand.class::cast).toList();
        assertThat(work).extracting(RecordWorkCommand::staffId).containsOnlyNulls();
        assertThat(work).extracting(RecordWorkCommand::unit).containsExactly("UNKNOWN", "V5 3rd", "V5 3rd");
        assertThat(work.get(0).attributes()).doesNotContainKey("impact");
        assertThat(work.get(1).attributes()).containsEntry("impact", "High");
        assertThat(((OpenCaseCommand) commands.get(0)).channel()).isEqualTo(Channel.SELF_SERVICE);
        assertThat(tally.list()).containsExactlyInAnyOrder(
                new ImportReport.NotRecorded("org:group", "-", 1, "unit UNKNOWN"),
                new ImportReport.NotRecorded("org:resource", "-", 2, "no staff id"),
                new ImportReport.NotRecorded("org:resource", " ", 1, "no staff id"),
                new ImportReport.NotRecorded("impact", "N/A", 1, "left out"),
                new ImportReport.NotRecorded("channel", "unknown", 1, "Channel SELF_SERVICE"));
    }

    @Test
    void givenALogWithoutGroups_whenTheMappingNamesOrgResourceOrATraceAttributeAsUnit_thenThoseAreTheUnits() {
        XesTrace trace = trace(Map.of("department", XesValue.string("Helpdesk 2")),
                               event("Open", Map.of(XesEvent.RESOURCE, XesValue.string("Value 1")),
                                     "2013-01-01T10:00:00+01:00"),
                               event("Close", Map.of(XesEvent.RESOURCE, XesValue.string("Value 2")),
                                     "2013-01-01T12:00:00+01:00"));
        ImportMapping byResource = new ImportMapping(null, null, null, null, null, null, null, null, null, null, null,
                                                     null, null, null, null, "org:resource", null);
        ImportMapping byDepartment = new ImportMapping(null, null, null, null, null, null, null, null, null, null,
                                                       null, null, null, null, null, "department", null);
        TraceMapping.Tally none = new TraceMapping.Tally();
        TraceMapping.Tally missing = new TraceMapping.Tally();

        List<CaseCommand> resources = new TraceMapping(byResource, "help").commands(trace, none);
        List<CaseCommand> departments = new TraceMapping(byDepartment, "help").commands(trace, new TraceMapping.Tally());
        List<CaseCommand> groups = new TraceMapping(ImportMapping.defaults(), "help").commands(trace, missing);

        assertThat(resources).filteredOn(HandOverCaseCommand.class::isInstance).singleElement()
                             .extracting("fromUnit", "toUnit", "occurredAt")
                             .containsExactly("Value 1", "Value 2", Instant.parse("2013-01-01T09:00:00Z"));
        assertThat(none.list()).isEmpty();
        assertThat(departments).filteredOn(RecordWorkCommand.class::isInstance)
                               .extracting("unit").containsOnly("Helpdesk 2");
        assertThat(groups).filteredOn(RecordWorkCommand.class::isInstance).extracting("unit").containsOnly("UNKNOWN");
        assertThat(missing.list()).containsExactly(new ImportReport.NotRecorded("org:group", null, 2, "unit UNKNOWN"));
    }

    @Test
    void givenAnEventWithoutActivityName_whenMapped_thenTheTraceIsRefusedNamingTheEvent() {
        XesTrace trace = trace(Map.of(), event("-", Map.of(), "2013-01-01T10:00:00+01:00"));

        assertThatThrownBy(() -> new TraceMapping(ImportMapping.defaults(), "x").commands(trace))
                .isInstanceOf(TraceMapping.Refused.class).hasMessageContaining("no activity name");
    }
}
