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
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.Direction;
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

/**
 * One test per definition of DOMAIN.md ("Definitions of the figures"), each named and commented in the domain's
 * words, on the one calculator every figure comes from. Repetition across a citizen's cases and satisfaction per
 * channel are evaluation figures: see {@link EvaluationQueriesTest}.
 */
class DomainDefinitionsTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final String CONTACT_CENTER = "KC";
    private static final String CITIZEN_SERVICE = "BS";
    private static final String BACK_OFFICE = "BO";
    private static final String WEBSITE = "WEB";

    private final JourneyCalculator calculator = new JourneyCalculator(
            UnitCalendars.defaults(),
            Map.of(CONTACT_CENTER, UnitKind.CONTACT_CENTER, CITIZEN_SERVICE, UnitKind.CITIZEN_SERVICE_CENTER,
                   BACK_OFFICE, UnitKind.BACK_OFFICE, WEBSITE, UnitKind.SELF_SERVICE),
            EvaluationDefinitions.load());

    /** Tuesday 9 April 2024, Copenhagen time. */
    private static Instant at(int hour, int minute) {
        return LocalDateTime.of(2024, 4, 9, hour, minute).atZone(CPH).toInstant();
    }

    private static Instant cph(int month, int day, int hour) {
        return LocalDateTime.of(2024, month, day, hour, 0).atZone(CPH).toInstant();
    }

    /** A journey's entries in recording order, each recorded when it happened. */
    private static final class Journey {
        private final List<RecordedEvent> events = new ArrayList<>();
        private int next;

        Journey(String unit, Instant at) {
            add(new CaseOpened("c", id(), null, "p", CitizenGroup.ELDERLY, AgeBand.AGE_67_PLUS,
                               ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, unit, at));
        }

        private String id() {
            return "e" + next++;
        }

        Journey add(CaseEvent event) {
            events.add(new RecordedEvent(event, event.occurredAt()));
            return this;
        }

        Journey contact(String unit, ContactPurpose purpose, Instant start, Instant end) {
            return add(new ContactRecorded("c", id(), Channel.PHONE, Direction.INBOUND, unit, null, purpose, null, start,
                                           end, start));
        }

        Journey handover(String from, String to, Instant at) {
            return add(new CaseHandedOver("c", id(), from, to, HandoverReason.NEEDS_EXPERTISE, null, at));
        }

        Journey work(String unit, Instant start, Instant end) {
            return add(new WorkRecorded("c", id(), unit, null, "assessment", start, end, start));
        }

        Journey request(InformationType type, String unit, Instant at) {
            return add(new InformationRequested("c", id(), type, null, unit, at));
        }

        Journey provide(InformationType type, String unit, String answers, Instant at) {
            return add(new InformationProvided("c", id(), type, Channel.EMAIL, unit, answers, answers == null, at));
        }

        Journey decide(String unit, Instant at) {
            return add(new DecisionRecorded("c", id(), DecisionOutcome.GRANTED, unit, at));
        }

        Journey score(int score, Instant at) {
            return add(new SatisfactionRecorded("c", id(), score, Channel.SELF_SERVICE, at));
        }

        Journey resolve(String unit, Instant at) {
            return add(new CaseResolved("c", id(), unit, at));
        }

        Journey reopen(String unit, Instant at) {
            return add(new CaseReopened("c", id(), ReopenReason.NEW_INFORMATION, unit, at));
        }
    }

    private JourneyFigures figures(Journey journey, Instant now) {
        return calculator.compute(List.copyOf(journey.events), now);
    }

    private JourneyFigures figures(Journey journey) {
        return figures(journey, at(23, 0));
    }

    @Test
    void givenAResolvedCase_whenLeadTimeIsComputed_thenItRunsFromTheCasesFirstEventToItsResolution() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0)).resolve(CONTACT_CENTER, at(11, 15));

        assertThat(figures(journey).leadTime()).isEqualTo(Duration.ofMinutes(135));
    }

    @Test
    void givenAnOpenCase_whenLeadTimeIsComputed_thenItRunsToNow() {
        JourneyFigures open = figures(new Journey(CONTACT_CENTER, at(9, 0)), at(12, 0));

        assertThat(open.status()).isEqualTo(CaseStatus.OPEN);
        assertThat(open.leadTime()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void givenAReopenedCase_whenLeadTimeIsComputed_thenItCountsItsOpenPeriodsOnly_andTheClosedGapIsNobodysWaitingTime() {
        // Open 09:00-10:00, closed 10:00-14:00, open again 14:00-14:30.
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0)).resolve(CONTACT_CENTER, at(10, 0))
                                                               .reopen(CONTACT_CENTER, at(14, 0))
                                                               .resolve(CONTACT_CENTER, at(14, 30));

        JourneyFigures f = figures(journey);

        assertThat(f.leadTime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofMinutes(90));
        assertThat(f.waitingForCitizen()).isZero();
    }

    @Test
    void givenSelfServiceAndABackOffice_whenAHandoverWaitsOverChristmas_thenSelfServiceIsOpen247IncludingPublicHolidays() {
        // 24 December 10:00 to 26 December 10:00 (2024): 48 hours, all of them on public holidays.
        Instant christmasEve = cph(12, 24, 10);
        Instant boxingDay = cph(12, 26, 10);
        Journey toWebsite = new Journey(CONTACT_CENTER, christmasEve).handover(CONTACT_CENTER, WEBSITE, christmasEve)
                                                                     .work(WEBSITE, boxingDay, boxingDay);
        Journey toBackOffice = new Journey(CONTACT_CENTER, christmasEve)
                .handover(CONTACT_CENTER, BACK_OFFICE, christmasEve).work(BACK_OFFICE, boxingDay, boxingDay);

        JourneyFigures.Handover website = figures(toWebsite, boxingDay).handoverDelays().get(0);
        JourneyFigures.Handover backOffice = figures(toBackOffice, boxingDay).handoverDelays().get(0);

        assertThat(website.delay()).isEqualTo(Duration.ofHours(48));
        assertThat(website.delayBusiness()).isEqualTo(Duration.ofHours(48));
        assertThat(backOffice.delay()).isEqualTo(Duration.ofHours(48));
        assertThat(backOffice.delayBusiness()).isZero();
    }

    @Test
    void givenOverlappingContactAndWork_whenHandlingTimeIsComputed_thenOverlappingIntervalsCountOnce() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0))
                .contact(CONTACT_CENTER, ContactPurpose.APPLICATION, at(9, 0), at(9, 30))
                .work(CONTACT_CENTER, at(9, 15), at(10, 0)).resolve(CONTACT_CENTER, at(10, 0));

        JourneyFigures f = figures(journey);

        assertThat(f.handlingTime()).isEqualTo(Duration.ofMinutes(60));
        // Resource use: staff minutes count each person's time.
        assertThat(f.staffTime()).isEqualTo(Duration.ofMinutes(75));
    }

    @Test
    void givenOverlappingRequestsOneUnanswered_whenWaitingForTheCitizenIsComputed_thenItRunsFromRequestToAnswerOrResolutionCountedOnce() {
        // Income asked 10:00, answered 13:00; address asked 11:00, never answered: waits until resolution at 15:00.
        Journey journey = new Journey(BACK_OFFICE, at(9, 0))
                .request(InformationType.INCOME, BACK_OFFICE, at(10, 0))
                .request(InformationType.ADDRESS, BACK_OFFICE, at(11, 0))
                .provide(InformationType.INCOME, BACK_OFFICE, "e1", at(13, 0))
                .resolve(BACK_OFFICE, at(15, 0));

        assertThat(figures(journey).waitingForCitizen()).isEqualTo(Duration.ofHours(5));
    }

    @Test
    void givenWorkWhileTheCitizenGathersDocuments_whenWaitingForTheMunicipalityIsComputed_thenItIsLeadTimeMinusTheUnionOfHandlingAndWaitingForTheCitizen() {
        // Lead 09:00-15:00 = 6 h; the citizen is asked at 10:00 and answers at 13:00; work 11:00-12:00 falls in that
        // wait and is subtracted once: 6 h - (10:00-13:00) = 3 h in which nobody handled the case and it did not
        // wait for the citizen.
        Journey journey = new Journey(BACK_OFFICE, at(9, 0))
                .request(InformationType.INCOME, BACK_OFFICE, at(10, 0))
                .work(BACK_OFFICE, at(11, 0), at(12, 0))
                .provide(InformationType.INCOME, BACK_OFFICE, "e1", at(13, 0))
                .resolve(BACK_OFFICE, at(15, 0));

        JourneyFigures f = figures(journey);

        assertThat(f.handlingTime()).isEqualTo(Duration.ofHours(1));
        assertThat(f.waitingForCitizen()).isEqualTo(Duration.ofHours(3));
        assertThat(f.waitingForMunicipality()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void givenInformationTheCitizenSendsAndASatisfactionScore_whenTheHandoverDelayIsComputed_thenOnlyTheReceivingUnitsOwnActEndsIt() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0))
                .handover(CONTACT_CENTER, BACK_OFFICE, at(10, 0))
                .provide(InformationType.INCOME, BACK_OFFICE, null, at(10, 30))
                .score(4, at(10, 45))
                .decide(BACK_OFFICE, at(12, 0))
                .resolve(BACK_OFFICE, at(12, 5));

        JourneyFigures.Handover handover = figures(journey).handoverDelays().get(0);

        assertThat(handover.firstActAt()).isEqualTo(at(12, 0));
        assertThat(handover.delay()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void givenContactCenterCitizenServiceBackOfficeCitizenService_whenServiceStepsAreCounted_thenFourStepsThreeHandoversOneReturn() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0))
                .contact(CONTACT_CENTER, ContactPurpose.APPLICATION, at(9, 0), at(9, 10))
                .handover(CONTACT_CENTER, CITIZEN_SERVICE, at(9, 15))
                .contact(CITIZEN_SERVICE, ContactPurpose.APPLICATION, at(10, 0), at(10, 20))
                .handover(CITIZEN_SERVICE, BACK_OFFICE, at(10, 30))
                .work(BACK_OFFICE, at(11, 0), at(11, 30))
                .handover(BACK_OFFICE, CITIZEN_SERVICE, at(12, 0))
                .resolve(CITIZEN_SERVICE, at(13, 0));

        JourneyFigures f = figures(journey);

        assertThat(f.serviceSteps()).isEqualTo(4);
        assertThat(f.units()).containsExactly(CONTACT_CENTER, CITIZEN_SERVICE, BACK_OFFICE, CITIZEN_SERVICE);
        assertThat(f.handovers()).isEqualTo(3);
        // Back to citizen service, which the case had already left.
        assertThat(f.returns()).isEqualTo(1);
        assertThat(f.touchpoints()).isEqualTo(2);
    }

    @Test
    void givenInformationTheCitizenSendsToAnotherUnit_whenServiceStepsAreCounted_thenItIsNotThatUnitsActivity() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0))
                .provide(InformationType.ADDRESS, CITIZEN_SERVICE, null, at(9, 30))
                .resolve(CONTACT_CENTER, at(10, 0));

        assertThat(figures(journey).serviceSteps()).isEqualTo(1);
    }

    @Test
    void givenACaseReopenedByAnotherUnit_whenServiceStepsAreCounted_thenTheReopeningIsThatUnitsOpeningOfTheCase() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0)).resolve(CONTACT_CENTER, at(9, 30))
                                                               .reopen(CITIZEN_SERVICE, at(11, 0))
                                                               .resolve(CITIZEN_SERVICE, at(11, 30));

        assertThat(figures(journey).units()).containsExactly(CONTACT_CENTER, CITIZEN_SERVICE);
    }

    @Test
    void givenTheSameInformationGivenAgain_whenRepeatedInformationIsCounted_thenEveryProvisionAfterTheFirstCounts() {
        Journey journey = new Journey(BACK_OFFICE, at(9, 0))
                .provide(InformationType.INCOME, BACK_OFFICE, null, at(9, 10))
                .provide(InformationType.INCOME, BACK_OFFICE, null, at(9, 20))
                .provide(InformationType.INCOME, BACK_OFFICE, null, at(9, 30))
                .provide(InformationType.ADDRESS, BACK_OFFICE, null, at(9, 40))
                .resolve(BACK_OFFICE, at(10, 0));

        JourneyFigures f = figures(journey);

        // Income three times: 2 repetitions; the address once: none.
        assertThat(f.repeatedInformation()).containsExactly(Map.entry(InformationType.INCOME, 2));
        assertThat(f.provisions()).containsEntry(InformationType.INCOME, 3).containsEntry(InformationType.ADDRESS, 1);
    }

    @Test
    void givenOneContactAndNoHandover_whenResolved_thenItIsAFirstContactResolution_andNotWithAHandoverOrASecondContact() {
        Journey once = new Journey(CONTACT_CENTER, at(9, 0))
                .contact(CONTACT_CENTER, ContactPurpose.QUESTION, at(9, 0), at(9, 5)).resolve(CONTACT_CENTER, at(9, 5));
        Journey handedOver = new Journey(CONTACT_CENTER, at(9, 0))
                .contact(CONTACT_CENTER, ContactPurpose.QUESTION, at(9, 0), at(9, 5))
                .handover(CONTACT_CENTER, BACK_OFFICE, at(9, 6)).resolve(BACK_OFFICE, at(9, 30));
        Journey twice = new Journey(CONTACT_CENTER, at(9, 0))
                .contact(CONTACT_CENTER, ContactPurpose.QUESTION, at(9, 0), at(9, 5))
                .contact(CONTACT_CENTER, ContactPurpose.QUESTION, at(9, 10), at(9, 15))
                .resolve(CONTACT_CENTER, at(9, 15));

        assertThat(figures(once).firstContactResolution()).isTrue();
        assertThat(figures(handedOver).firstContactResolution()).isFalse();
        assertThat(figures(twice).firstContactResolution()).isFalse();
        assertThat(figures(new Journey(CONTACT_CENTER, at(9, 0))
                                   .contact(CONTACT_CENTER, ContactPurpose.QUESTION, at(9, 0), at(9, 5)))
                           .firstContactResolution()).as("not resolved").isFalse();
    }

    @Test
    void givenAStatusInquiryAndAReminder_whenAvoidableContactsAreCounted_thenTheyAreFailureDemandAndAQuestionIsNot() {
        Journey journey = new Journey(CONTACT_CENTER, at(9, 0))
                .contact(CONTACT_CENTER, ContactPurpose.QUESTION, at(9, 0), at(9, 5))
                .contact(CONTACT_CENTER, ContactPurpose.STATUS_INQUIRY, at(10, 0), at(10, 5))
                .contact(CONTACT_CENTER, ContactPurpose.REMINDER, at(11, 0), at(11, 5));

        assertThat(figures(journey).avoidableContacts()).isEqualTo(2);
    }

    @Test
    void givenAnImportedCase_whenItsActivityPathIsTaken_thenItHoldsTheLogsActivitiesOnly() {
        List<RecordedEvent> events = new ArrayList<>();
        Instant t = at(9, 0);
        events.add(new RecordedEvent(new CaseOpened("x", "open", null, "P-1", CitizenGroup.OTHER, AgeBand.UNKNOWN,
                                                    ServiceArea.OTHER, "000", Channel.SELF_SERVICE, "U1", t, "trace-1",
                                                    "log"), t));
        events.add(new RecordedEvent(new WorkRecorded("x", "e0", "U1", null, "Register", t, t, t), t));
        events.add(new RecordedEvent(new CaseHandedOver("x", "h1", "U1", "U2", HandoverReason.OTHER, null, t), t));
        Instant later = at(10, 0);
        events.add(new RecordedEvent(new WorkRecorded("x", "e1", "U2", null, "Decide", later, later, later), later));
        events.add(new RecordedEvent(new CaseResolved("x", "resolve", "U2", later), later));

        JourneyFigures f = calculator.compute(events, at(12, 0));

        assertThat(f.activityPath()).containsExactly("Register", "Decide");
        assertThat(f.activityFlow()).singleElement().isEqualTo(
                new JourneyFigures.Transition("Register", "Decide", Duration.ofHours(1)));
        assertThat(f.units()).containsExactly("U1", "U2");
        assertThat(f.handoverDelays().get(0).delay()).isEqualTo(Duration.ofHours(1));
    }
}
