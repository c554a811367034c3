package dk.casejourney.evaluation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.calendar.UnitKind;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WorkRecorded;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyCalculatorTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final String KC = "KBH-KC";
    private static final String BS = "KBH-BS-NORD";
    private static final String BO = "KBH-BO";

    private final JourneyCalculator calculator = new JourneyCalculator(
            UnitCalendars.defaults(),
            Map.of(KC, UnitKind.CONTACT_CENTER, BS, UnitKind.CITIZEN_SERVICE_CENTER, BO, UnitKind.BACK_OFFICE),
            EvaluationDefinitions.load());

    /** A case's events in recording order, each recorded when it occurred. */
    private static final class Case {
        private final List<RecordedEvent> events = new ArrayList<>();
        private int next;

        Case(String unit, Channel channel, Instant at) {
            add(new CaseOpened("c1", id(), new Citizen("key-1", "sealed-cpr"), "p1", CitizenGroup.FAMILY_WITH_CHILDREN,
                               AgeBand.AGE_30_49, ServiceArea.HOUSING_BENEFIT, "101", channel, unit, at));
        }

        private String id() {
            return "e" + next++;
        }

        Case add(CaseEvent event) {
            events.add(new RecordedEvent(event, event.occurredAt()));
            return this;
        }

        String contact(String unit, Channel channel, ContactPurpose purpose, Instant queued, Instant start, Instant end) {
            String id = id();
            add(new ContactRecorded("c1", id, channel, Direction.INBOUND, unit, "staff-1", purpose, queued, start, end,
                                    start));
            return id;
        }

        Case handover(String from, String to, Instant at) {
            return add(new CaseHandedOver("c1", id(), from, to, HandoverReason.NEEDS_EXPERTISE, null, at));
        }

        Case work(String unit, Instant start, Instant end) {
            return add(new WorkRecorded("c1", id(), unit, "staff-2", "assessment", start, end, start));
        }

        String request(InformationType type, String unit, Instant at) {
            String id = id();
            add(new InformationRequested("c1", id, type, null, unit, at));
            return id;
        }

        Case provide(InformationType type, String answers, Instant at) {
            return add(new InformationProvided("c1", id(), type, Channel.SELF_SERVICE, BO, answers, answers == null, at));
        }

        Case resolve(String unit, Instant at) {
            return add(new CaseResolved("c1", id(), unit, at));
        }

        Case reopen(String unit, Instant at) {
            return add(new CaseReopened("c1", id(), ReopenReason.NEW_INFORMATION, unit, at));
        }

        List<RecordedEvent> events() {
            return List.copyOf(events);
        }
    }

    private static Instant cph(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(CPH).toInstant();
    }

    private static Instant apr9(int hour, int minute) {
        return cph(2024, 4, 9, hour, minute);
    }

    @Test
    void contactCenterToCitizenServiceToBackOfficeAndBackIsFourStepsThreeHandoversOneReturn() {
        Case c = new Case(KC, Channel.PHONE, apr9(9, 0));
        c.contact(KC, Channel.PHONE, ContactPurpose.APPLICATION, apr9(8, 55), apr9(9, 0), apr9(9, 10));
        c.handover(KC, BS, apr9(9, 15));
        c.contact(BS, Channel.IN_PERSON, ContactPurpose.DOCUMENTATION, apr9(10, 50), apr9(11, 0), apr9(11, 20));
        c.handover(BS, BO, apr9(11, 30));
        c.work(BO, apr9(13, 0), apr9(14, 0));
        c.add(new DecisionRecorded("c1", "d1", DecisionOutcome.GRANTED, BO, apr9(14, 0)));
        c.handover(BO, BS, apr9(14, 5));
        c.contact(BS, Channel.IN_PERSON, ContactPurpose.GUIDANCE, null, apr9(15, 0), apr9(15, 10));
        c.resolve(BS, apr9(15, 10));

        JourneyFigures f = calculator.compute(c.events(), apr9(20, 0));

        assertThat(f.status()).isEqualTo(CaseStatus.RESOLVED);
        assertThat(f.asOf()).isNull();
        assertThat(f.serviceSteps()).isEqualTo(4);
        assertThat(f.units()).containsExactly(KC, BS, BO, BS);
        assertThat(f.handovers()).isEqualTo(3);
        assertThat(f.returns()).isEqualTo(1);
        assertThat(f.handoverDelays()).extracting(JourneyFigures.Handover::isReturn).containsExactly(false, false, true);
        assertThat(f.touchpoints()).isEqualTo(3);
        assertThat(f.channels()).containsExactly(Channel.PHONE, Channel.IN_PERSON, Channel.IN_PERSON);
        assertThat(f.firstContactResolution()).isFalse();
        assertThat(f.leadTime()).isEqualTo(Duration.ofMinutes(6 * 60 + 10));
        assertThat(f.leadTimeBusiness()).isEqualTo(Duration.ofMinutes(6 * 60 + 10));
        assertThat(f.handlingTime()).isEqualTo(Duration.ofMinutes(10 + 20 + 60 + 10));
        assertThat(f.waitingForCitizen()).isZero();
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofMinutes(370 - 100));
        assertThat(f.staffTime()).isEqualTo(Duration.ofMinutes(100));
        assertThat(f.contacts()).extracting(JourneyFigures.Contact::queueTime)
                                .containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(10), null);
        // KC→BS at 09:15, BS first acts 11:00; BS opens at 10:00, so 1 h of its business time.
        JourneyFigures.Handover first = f.handoverDelays().get(0);
        assertThat(first.delay()).isEqualTo(Duration.ofMinutes(105));
        assertThat(first.delayBusiness()).isEqualTo(Duration.ofHours(1));
        assertThat(f.handoverDelays().get(1).delay()).isEqualTo(Duration.ofMinutes(90));
        assertThat(f.handoverDelays().get(2).delay()).isEqualTo(Duration.ofMinutes(55));
        assertThat(f.unitFlow()).extracting(JourneyFigures.Transition::gap)
                                .containsExactly(Duration.ofMinutes(105), Duration.ofMinutes(90), Duration.ofMinutes(55));
        assertThat(f.activityFlow()).first().isEqualTo(
                new JourneyFigures.Transition("CASE_OPENED", "CONTACT_APPLICATION", Duration.ZERO));
        assertThat(f.activityFlow()).hasSize(c.events().size() - 1);
    }

    @Test
    void overlappingHandlingIntervalsAreCountedOnceButStaffTimeCountsEachPerson() {
        Case c = new Case(BO, Channel.EMAIL, apr9(9, 0));
        c.contact(BO, Channel.PHONE, ContactPurpose.QUESTION, null, apr9(10, 0), apr9(10, 30));
        c.work(BO, apr9(10, 15), apr9(11, 0));
        c.work(BO, apr9(10, 20), apr9(10, 40));
        c.work(BO, apr9(13, 0), apr9(13, 30));
        c.resolve(BO, apr9(14, 0));

        JourneyFigures f = calculator.compute(c.events(), apr9(20, 0));

        assertThat(f.handlingTime()).isEqualTo(Duration.ofMinutes(60 + 30));
        assertThat(f.staffTime()).isEqualTo(Duration.ofMinutes(30 + 45 + 20 + 30));
        assertThat(f.leadTime()).isEqualTo(Duration.ofHours(5));
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofMinutes(300 - 90));
        assertThat(f.serviceSteps()).isEqualTo(1);
        assertThat(f.firstContactResolution()).isTrue();
        assertThat(f.firstChannel()).isEqualTo(Channel.PHONE);
    }

    @Test
    void informationRequestAnsweredAfterAWeekendAndChristmasWaitsForTheCitizenInCalendarAndBusinessTime() {
        // Fri 20 Dec 2024 09:00 to Fri 27 Dec 12:00; 21-22 weekend, 24-26 holidays.
        Case c = new Case(BO, Channel.SELF_SERVICE, cph(2024, 12, 20, 9, 0));
        c.contact(BO, Channel.SELF_SERVICE, ContactPurpose.APPLICATION, null, cph(2024, 12, 20, 9, 0),
                  cph(2024, 12, 20, 9, 10));
        String request = c.request(InformationType.INCOME, BO, cph(2024, 12, 20, 14, 0));
        c.provide(InformationType.INCOME, request, cph(2024, 12, 27, 10, 0));
        c.resolve(BO, cph(2024, 12, 27, 12, 0));

        JourneyFigures f = calculator.compute(c.events(), cph(2025, 1, 1, 0, 0));

        assertThat(f.waitingForCitizen()).isEqualTo(Duration.ofHours(7 * 24 - 4));
        // Fri 14-16, Mon 23 08-16, Fri 27 08-10: 2 + 8 + 2 hours.
        assertThat(f.waitingForCitizenBusiness()).isEqualTo(Duration.ofHours(12));
        assertThat(f.leadTime()).isEqualTo(Duration.ofHours(7 * 24 + 3));
        // Fri 09-16, Mon 08-16, Fri 27 08-12.
        assertThat(f.leadTimeBusiness()).isEqualTo(Duration.ofHours(7 + 8 + 4));
        assertThat(f.handlingTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofMinutes(6 * 60 + 50));
        assertThat(f.waitingForMunicipalityBusiness()).isEqualTo(Duration.ofMinutes(6 * 60 + 50));
        assertThat(f.repeatedInformation()).isEmpty();
    }

    @Test
    void aCaseAcrossTheAutumnClockChangeGainsTheRepeatedHour() {
        // Fri 25 Oct 2024 15:00 CEST to Mon 28 Oct 09:00 CET: 66 wall-clock hours, 67 real ones.
        Case c = new Case(BO, Channel.LETTER, cph(2024, 10, 25, 15, 0));
        c.resolve(BO, cph(2024, 10, 28, 9, 0));

        JourneyFigures f = calculator.compute(c.events(), cph(2024, 11, 1, 0, 0));

        assertThat(f.leadTime()).isEqualTo(Duration.ofHours(67));
        assertThat(f.leadTimeBusiness()).isEqualTo(Duration.ofHours(2));
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofHours(67));
        assertThat(f.touchpoints()).isZero();
        assertThat(f.firstChannel()).isEqualTo(Channel.LETTER);
        assertThat(f.firstContactResolution()).isFalse();
    }

    @Test
    void aReopenedCaseCountsOnlyItsOpenTimeAndRunsToNowWhileOpenAgain() {
        // 5 June is Constitution Day: closed from 12:00.
        Case c = new Case(BO, Channel.EMAIL, cph(2024, 6, 3, 9, 0));
        c.resolve(BO, cph(2024, 6, 3, 10, 0));
        c.reopen(BO, cph(2024, 6, 5, 9, 0));

        JourneyFigures running = calculator.compute(c.events(), cph(2024, 6, 5, 11, 0));
        assertThat(running.status()).isEqualTo(CaseStatus.OPEN);
        assertThat(running.asOf()).isEqualTo(cph(2024, 6, 5, 11, 0));
        assertThat(running.leadTime()).isEqualTo(Duration.ofHours(1 + 2));

        c.resolve(BO, cph(2024, 6, 5, 13, 0));
        JourneyFigures f = calculator.compute(c.events(), cph(2024, 7, 1, 0, 0));
        assertThat(f.status()).isEqualTo(CaseStatus.RESOLVED);
        assertThat(f.resolvedAt()).isEqualTo(cph(2024, 6, 5, 13, 0));
        assertThat(f.leadTime()).isEqualTo(Duration.ofHours(1 + 4));
        assertThat(f.leadTimeBusiness()).isEqualTo(Duration.ofHours(1 + 3));
        assertThat(f.serviceSteps()).isEqualTo(1);
    }

    @Test
    void correctionsReplaceOrVoidTheEntryTheyCorrect() {
        Case c = new Case(KC, Channel.PHONE, apr9(9, 0));
        String first = c.contact(KC, Channel.PHONE, ContactPurpose.QUESTION, null, apr9(9, 0), apr9(9, 10));
        String second = c.contact(KC, Channel.PHONE, ContactPurpose.STATUS_INQUIRY, null, apr9(9, 30), apr9(9, 35));
        c.resolve(KC, apr9(10, 0));
        JourneyFigures before = calculator.compute(c.events(), apr9(20, 0));
        assertThat(before.handlingTime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(before.touchpoints()).isEqualTo(2);
        assertThat(before.avoidableContacts()).isEqualTo(1);
        assertThat(before.firstContactResolution()).isFalse();

        c.add(new EntryCorrected("c1", "x1", first, "ended later", new ContactRecorded(
                "c1", first, Channel.PHONE, Direction.INBOUND, KC, "staff-1", ContactPurpose.QUESTION, null,
                apr9(9, 0), apr9(9, 20), apr9(9, 0)), apr9(11, 0)));
        c.add(new EntryCorrected("c1", "x2", second, "recorded on the wrong case", null, apr9(11, 0)));
        JourneyFigures after = calculator.compute(c.events(), apr9(20, 0));

        assertThat(after.handlingTime()).isEqualTo(Duration.ofMinutes(20));
        assertThat(after.touchpoints()).isEqualTo(1);
        assertThat(after.avoidableContacts()).isZero();
        assertThat(after.firstContactResolution()).isTrue();
    }

    @Test
    void repeatedInformationSatisfactionAndUnansweredRequestsRunningToNow() {
        Case c = new Case(KC, Channel.PHONE, apr9(9, 0));
        c.contact(KC, Channel.PHONE, ContactPurpose.APPLICATION, null, apr9(9, 0), apr9(9, 10));
        c.provide(InformationType.INCOME, null, apr9(9, 5));
        c.handover(KC, BO, apr9(9, 20));
        String request = c.request(InformationType.INCOME, BO, apr9(10, 0));
        c.provide(InformationType.INCOME, request, apr9(11, 0));
        c.provide(InformationType.ADDRESS, null, apr9(11, 0));
        c.request(InformationType.HOUSEHOLD, BO, apr9(12, 0));
        c.add(new SatisfactionRecorded("c1", "s1", 4, Channel.SELF_SERVICE, apr9(12, 30)));

        JourneyFigures f = calculator.compute(c.events(), apr9(15, 0));

        assertThat(f.status()).isEqualTo(CaseStatus.OPEN);
        assertThat(f.asOf()).isEqualTo(apr9(15, 0));
        assertThat(f.repeatedInformation()).containsExactly(Map.entry(InformationType.INCOME, 1));
        assertThat(f.waitingForCitizen()).isEqualTo(Duration.ofHours(1 + 3));
        assertThat(f.leadTime()).isEqualTo(Duration.ofHours(6));
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofMinutes(360 - 10 - 240));
        assertThat(f.satisfaction()).containsExactly(new JourneyFigures.Satisfaction(4, Channel.SELF_SERVICE, apr9(12, 30)));
        // BO's first act is the request at 10:00.
        assertThat(f.handoverDelays().get(0).delay()).isEqualTo(Duration.ofMinutes(40));
        assertThat(f.serviceSteps()).isEqualTo(2);
    }

    @Test
    void aHandoverNotYetActedOnRunsToNowOnTheReceivingUnitsCalendarAndUnknownUnitsUseTheWholeCaseCalendar() {
        Case c = new Case(KC, Channel.PHONE, apr9(9, 0));
        c.handover(KC, BS, apr9(9, 0));
        c.handover(BS, "UNKNOWN-UNIT", apr9(9, 0));
        JourneyFigures f = calculator.compute(c.events(), apr9(12, 0));

        assertThat(f.handoverDelays().get(0).pending()).isFalse();
        assertThat(f.handoverDelays().get(0).delay()).isZero();
        JourneyFigures.Handover pending = f.handoverDelays().get(1);
        assertThat(pending.pending()).isTrue();
        assertThat(pending.delay()).isEqualTo(Duration.ofHours(3));
        assertThat(pending.delayBusiness()).isEqualTo(Duration.ofHours(3));
        assertThat(calculator.calendarOf("UNKNOWN-UNIT")).isEqualTo(UnitCalendars.defaults().wholeCase());
        assertThat(calculator.calendarOf(BS)).isEqualTo(UnitCalendars.defaults().forKind(UnitKind.CITIZEN_SERVICE_CENTER));
    }
}
