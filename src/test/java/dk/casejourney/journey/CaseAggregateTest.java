package dk.casejourney.journey;

import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryChanges;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordSatisfactionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ReopenCaseCommand;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WorkRecorded;
import dk.casejourney.privacy.InMemoryCitizenKeys;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.matches;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

class CaseAggregateTest {

    private static final String CASE = "case-1";
    private static final Instant OPENED = Instant.parse("2024-03-04T07:15:00Z");
    private static final Pseudonymizer PSEUDONYMIZER = new Pseudonymizer("a-test-secret-of-some-length");
    private static final String CPR = "0101701234";

    private final PersonalDataVault vault = new PersonalDataVault(new InMemoryCitizenKeys());
    private FixtureConfiguration<CaseAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CaseAggregate.class);
        fixture.registerInjectableResource(PSEUDONYMIZER);
        fixture.registerInjectableResource(vault);
        // The clock check runs before the case, as it does in the application; the clock is fixed here.
        Clock clock = Clock.fixed(Instant.parse("2024-03-05T12:00:00Z"), ZoneOffset.UTC);
        fixture.registerCommandHandlerInterceptor(new BusinessTimeGuard(clock, Duration.ofMinutes(5)));
    }

    private static CaseOpened opened() {
        return new CaseOpened(CASE, "e0", new Citizen("key-0", "sealed"), PSEUDONYMIZER.pseudonymOf(CPR), CitizenGroup.ELDERLY,
                              AgeBand.AGE_50_66, ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", OPENED);
    }

    private static Instant at(String time) {
        return Instant.parse("2024-03-04T" + time + "Z");
    }

    private static RecordContactCommand contact(String entryId, Instant start, Instant end) {
        return new RecordContactCommand(CASE, entryId, Channel.PHONE, Direction.INBOUND, "KBH-KC", "s1",
                                        ContactPurpose.APPLICATION, null, start, end);
    }

    private static ContactRecorded contactRecorded(String entryId, Instant start, Instant end) {
        return new ContactRecorded(CASE, entryId, Channel.PHONE, Direction.INBOUND, "KBH-KC", "s1",
                                   ContactPurpose.APPLICATION, null, start, end, start);
    }

    private static TypeSafeMatcher<Throwable> violationOf(String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof RuleViolation violation && violation.field().equals(field);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a rule violation of field " + field);
            }
        };
    }

    @Nested
    class Opening {

        @Test
        void givenNoCase_whenOpenCase_thenCaseOpenedWithPseudonymAndAgeBand() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", CPR, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED))
                   .expectSuccessfulHandlerExecution()
                   .expectResultMessagePayload("e0")
                   .expectEventsMatching(payloadsMatching(exactSequenceOf(
                           matches((Object payload) -> payload instanceof CaseOpened event
                                   && event.equals(new CaseOpened(CASE, "e0", event.citizen(), opened().citizenPseudonym(),
                                                                  CitizenGroup.ELDERLY, AgeBand.AGE_50_66,
                                                                  ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE,
                                                                  "KBH-KC", OPENED))
                                   && vault.open(event.citizen().keyId(), event.citizen().sealedCpr())
                                           .equals(java.util.Optional.of(CPR))),
                           andNoMore())));
        }

        @Test
        void givenNoCase_whenOpenImportedCaseWithoutCpr_thenCaseOpenedWithoutCitizenAndWithSourcePseudonym() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "open", null, CitizenGroup.OTHER, ServiceArea.ENVIRONMENTAL_PERMIT,
                                             "000", Channel.SELF_SERVICE, "Group 1", OPENED, "case-10011", "receipt"))
                   .expectSuccessfulHandlerExecution()
                   .expectEventsMatching(payloadsMatching(exactSequenceOf(
                           matches((Object payload) -> payload instanceof CaseOpened event
                                   && event.citizen() == null && event.ageBand() == AgeBand.UNKNOWN
                                   && event.sourceRef().equals("case-10011") && event.source().equals("receipt")
                                   && event.citizenPseudonym().matches("P-[0-9a-f]{24}")
                                   && !event.citizenPseudonym().equals(opened().citizenPseudonym())),
                           andNoMore())));
        }

        @Test
        void givenNoCase_whenOpenImportedCasesOfTwoTraces_thenTheirPseudonymsDiffer() {
            Map<Integer, String> pseudonyms = new HashMap<>();
            List<String> traces = List.of("case-1", "case-2", "case-1");
            for (int i = 0; i < traces.size(); i++) {
                int run = i;
                new AggregateTestFixture<>(CaseAggregate.class)
                        .registerInjectableResource(PSEUDONYMIZER).registerInjectableResource(vault)
                        .givenNoPriorActivity()
                        .when(new OpenCaseCommand(CASE, "open", null, CitizenGroup.OTHER, ServiceArea.OTHER, "000",
                                                  Channel.LETTER, "U1", OPENED, traces.get(i), "log"))
                        .expectEventsMatching(payloadsMatching(exactSequenceOf(
                                matches((Object payload) -> {
                                    pseudonyms.put(run, ((CaseOpened) payload).citizenPseudonym());
                                    return true;
                                }),
                                andNoMore())));
            }
            assertThat(pseudonyms.get(0)).isNotEqualTo(pseudonyms.get(1))
                                           .isEqualTo(pseudonyms.get(2));
        }

        @Test
        void givenNoCase_whenOpenLiveCaseWithoutCpr_thenRefusedNamingCpr() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", null, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED))
                   .expectException(violationOf("cpr"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenWithSourceButNoSourceRef_thenRefusedNamingSource() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", null, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED, null, "receipt"))
                   .expectException(violationOf("source"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenImportedCaseWithBlankSourceRef_thenRefusedNamingSourceRef() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", null, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED, " ", "receipt"))
                   .expectException(violationOf("sourceRef"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenImportedCaseWithCpr_thenCitizenSealedAsForLiveCases() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", CPR, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED, "t-1", "old-system"))
                   .expectEventsMatching(payloadsMatching(exactSequenceOf(
                           matches((Object payload) -> payload instanceof CaseOpened event
                                   && event.citizen() != null && event.ageBand() == AgeBand.AGE_50_66
                                   && event.citizenPseudonym().equals(opened().citizenPseudonym())
                                   && event.sourceRef().equals("t-1")),
                           andNoMore())));
        }

        @Test
        void givenNoCase_whenOpenCaseWithCprWithoutModulus11Check_thenAccepted() {
            // 010170-1235 fails the old modulus-11 check; such numbers are issued and valid.
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", "0101701235", CitizenGroup.ELDERLY,
                                             ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", OPENED))
                   .expectSuccessfulHandlerExecution();
        }

        @Test
        void givenNoCase_whenOpenCaseWithCprThatIsNoDate_thenRefusedNamingCpr() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", "3102701234", CitizenGroup.ELDERLY,
                                             ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", OPENED))
                   .expectException(violationOf("cpr"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenCaseWithNineDigitCpr_thenRefusedNamingCpr() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", "010170123", CitizenGroup.ELDERLY,
                                             ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", OPENED))
                   .expectException(violationOf("cpr"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenCaseWithoutServiceArea_thenRefusedNamingServiceArea() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", CPR, CitizenGroup.ELDERLY, null, "101", Channel.PHONE,
                                             "KBH-KC", OPENED))
                   .expectException(violationOf("serviceArea"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenCaseInTheFuture_thenRefusedNamingOccurredAt() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", CPR, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", Instant.parse("2024-03-05T12:06:00Z")))
                   .expectException(violationOf("occurredAt"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenOpenCaseWithinTheClockTolerance_thenAccepted() {
            fixture.givenNoPriorActivity()
                   .when(new OpenCaseCommand(CASE, "e0", CPR, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", Instant.parse("2024-03-05T12:04:00Z")))
                   .expectSuccessfulHandlerExecution();
        }

        @Test
        void givenOpenCase_whenOpenCaseAgainWithoutKey_thenRefused() {
            fixture.given(opened())
                   .when(new OpenCaseCommand(CASE, "e9", CPR, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED))
                   .expectException(violationOf("caseId"))
                   .expectNoEvents();
        }
    }

    @Nested
    class Contacts {

        @Test
        void givenOpenCase_whenRecordContact_thenContactRecorded() {
            fixture.given(opened())
                   .when(contact("e1", at("07:15:00"), at("07:25:00")))
                   .expectEvents(contactRecorded("e1", at("07:15:00"), at("07:25:00")));
        }

        @Test
        void givenOpenCase_whenContactEndsBeforeItStarts_thenRefusedNamingEndedAt() {
            fixture.given(opened())
                   .when(contact("e1", at("07:15:00"), at("07:05:00")))
                   .expectException(violationOf("endedAt"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenCase_whenContactQueuedAfterItStarted_thenRefusedNamingQueuedAt() {
            fixture.given(opened())
                   .when(new RecordContactCommand(CASE, "e1", Channel.PHONE, Direction.INBOUND, "KBH-KC", "s1",
                                                  ContactPurpose.QUESTION, at("07:20:00"), at("07:15:00"),
                                                  at("07:25:00")))
                   .expectException(violationOf("queuedAt"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenCase_whenContactBeforeTheCaseOpened_thenRefusedNamingStartedAt() {
            fixture.given(opened())
                   .when(contact("e1", at("06:00:00"), at("06:10:00")))
                   .expectException(violationOf("startedAt"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenCase_whenContactEndsInTheFuture_thenRefusedNamingEndedAt() {
            fixture.given(opened())
                   .when(contact("e1", at("07:15:00"), Instant.parse("2024-03-06T00:00:00Z")))
                   .expectException(violationOf("endedAt"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenCase_whenContactWithEntryIdAlreadyUsed_thenRefusedNamingEntryId() {
            fixture.given(opened())
                   .when(contact("e0", at("07:15:00"), at("07:25:00")))
                   .expectException(violationOf("entryId"))
                   .expectNoEvents();
        }

        @Test
        void givenNoCase_whenRecordContact_thenCaseNotFound() {
            fixture.givenNoPriorActivity()
                   .when(contact("e1", at("07:15:00"), at("07:25:00")))
                   .expectException(AggregateNotFoundException.class);
        }

        @Test
        void givenResolvedCase_whenRecordContact_thenRefusedAsConflict() {
            fixture.given(opened(), new CaseResolved(CASE, "e1", "KBH-KC", at("08:00:00")))
                   .when(contact("e2", at("08:15:00"), at("08:25:00")))
                   .expectException(Matchers.predicate(e -> e instanceof RuleViolation violation
                           && violation.kind() == RuleViolation.Kind.CONFLICT))
                   .expectNoEvents();
        }
    }

    @Nested
    class Handovers {

        @Test
        void givenCaseHeldByContactCenter_whenHandOverToCitizenServiceCenter_thenHandedOver() {
            fixture.given(opened())
                   .when(new HandOverCaseCommand(CASE, "e1", "KBH-KC", "BS-NORD", HandoverReason.NEEDS_EXPERTISE,
                                                 null, at("07:30:00")))
                   .expectEvents(new CaseHandedOver(CASE, "e1", "KBH-KC", "BS-NORD", HandoverReason.NEEDS_EXPERTISE,
                                                    null, at("07:30:00")));
        }

        @Test
        void givenCaseHeldByContactCenter_whenHandOverFromAnotherUnit_thenRefusedNamingFromUnit() {
            fixture.given(opened())
                   .when(new HandOverCaseCommand(CASE, "e1", "BS-NORD", "BACK-1", HandoverReason.CAPACITY, null,
                                                 at("07:30:00")))
                   .expectException(violationOf("fromUnit"))
                   .expectNoEvents();
        }

        @Test
        void givenCaseHeldByContactCenter_whenHandOverToItself_thenRefusedNamingToUnit() {
            fixture.given(opened())
                   .when(new HandOverCaseCommand(CASE, "e1", "KBH-KC", "KBH-KC", HandoverReason.OTHER, null,
                                                 at("07:30:00")))
                   .expectException(violationOf("toUnit"))
                   .expectNoEvents();
        }

        @Test
        void givenCaseHandedOn_whenHandOverFromTheNewHolder_thenAccepted() {
            fixture.given(opened(), new CaseHandedOver(CASE, "e1", "KBH-KC", "BS-NORD",
                                                       HandoverReason.NEEDS_EXPERTISE, null, at("07:30:00")))
                   .when(new HandOverCaseCommand(CASE, "e2", "BS-NORD", "BACK-1", HandoverReason.AUTHORITY_ELSEWHERE,
                                                 "authority lies with the back office", at("09:00:00")))
                   .expectSuccessfulHandlerExecution()
                   .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                           Matchers.predicate(e -> e instanceof CaseHandedOver h && h.toUnit().equals("BACK-1")),
                           Matchers.andNoMore())));
        }
    }

    @Nested
    class Information {

        @Test
        void givenOpenCase_whenRequestInformation_thenRequested() {
            fixture.given(opened())
                   .when(new RequestInformationCommand(CASE, "e1", InformationType.INCOME, LocalDate.of(2024, 3, 11),
                                                       "BS-NORD", at("09:00:00")))
                   .expectEvents(new InformationRequested(CASE, "e1", InformationType.INCOME,
                                                          LocalDate.of(2024, 3, 11), "BS-NORD", at("09:00:00")));
        }

        @Test
        void givenOpenCase_whenRequestDueBeforeItWasMade_thenRefusedNamingDueDate() {
            fixture.given(opened())
                   .when(new RequestInformationCommand(CASE, "e1", InformationType.INCOME, LocalDate.of(2024, 3, 3),
                                                       "BS-NORD", at("09:00:00")))
                   .expectException(violationOf("dueDate"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenRequest_whenCitizenProvidesThatType_thenItAnswersTheRequest() {
            fixture.given(opened(), new InformationRequested(CASE, "e1", InformationType.INCOME, null, "BS-NORD",
                                                             at("09:00:00")))
                   .when(new ProvideInformationCommand(CASE, "e2", InformationType.INCOME, Channel.EMAIL, "BS-NORD",
                                                       null, at("10:00:00")))
                   .expectEvents(new InformationProvided(CASE, "e2", InformationType.INCOME, Channel.EMAIL, "BS-NORD",
                                                         "e1", false, at("10:00:00")));
        }

        @Test
        void givenNoRequest_whenCitizenProvidesInformation_thenMarkedUnsolicited() {
            fixture.given(opened())
                   .when(new ProvideInformationCommand(CASE, "e2", InformationType.ADDRESS, Channel.IN_PERSON,
                                                       "BS-NORD", null, at("10:00:00")))
                   .expectEvents(new InformationProvided(CASE, "e2", InformationType.ADDRESS, Channel.IN_PERSON,
                                                         "BS-NORD", null, true, at("10:00:00")));
        }

        @Test
        void givenAnsweredRequest_whenTheSameRequestIsNamedAgain_thenRefusedNotDropped() {
            // Recording it as unsolicited would silently drop the reference the caller gave.
            fixture.given(opened(),
                          new InformationRequested(CASE, "e1", InformationType.INCOME, null, "BS-NORD", at("09:00:00")),
                          new InformationProvided(CASE, "e2", InformationType.INCOME, Channel.EMAIL, "BS-NORD", "e1",
                                                  false, at("10:00:00")))
                   .when(new ProvideInformationCommand(CASE, "e3", InformationType.INCOME, Channel.EMAIL, "BS-NORD",
                                                       "e1", at("11:00:00")))
                   .expectException(violationOf("answersRequestId"))
                   .expectNoEvents();
        }

        @Test
        void givenNoSuchRequest_whenNamedAsAnswered_thenRefusedNotDropped() {
            fixture.given(opened())
                   .when(new ProvideInformationCommand(CASE, "e3", InformationType.INCOME, Channel.EMAIL, "BS-NORD",
                                                       "no-such-request", at("11:00:00")))
                   .expectException(violationOf("answersRequestId"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenRequestForIncome_whenAnsweredWithAnotherType_thenRefusedNamingInformationType() {
            fixture.given(opened(), new InformationRequested(CASE, "e1", InformationType.INCOME, null, "BS-NORD",
                                                             at("09:00:00")))
                   .when(new ProvideInformationCommand(CASE, "e2", InformationType.ADDRESS, Channel.EMAIL, "BS-NORD",
                                                       "e1", at("10:00:00")))
                   .expectException(violationOf("informationType"))
                   .expectNoEvents();
        }
    }

    @Nested
    class WorkAndDecisions {

        @Test
        void givenOpenCase_whenRecordWork_thenWorkRecorded() {
            fixture.given(opened())
                   .when(new RecordWorkCommand(CASE, "e1", "BACK-1", "s2", "assess income", at("09:00:00"),
                                               at("09:45:00")))
                   .expectEvents(new WorkRecorded(CASE, "e1", "BACK-1", "s2", "assess income", at("09:00:00"),
                                                  at("09:45:00"), at("09:00:00")));
        }

        @Test
        void givenOpenCase_whenWorkEndsBeforeItStarts_thenRefusedNamingEndedAt() {
            fixture.given(opened())
                   .when(new RecordWorkCommand(CASE, "e1", "BACK-1", "s2", "assess", at("09:00:00"), at("08:45:00")))
                   .expectException(violationOf("endedAt"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenCase_whenWorkWithoutActivity_thenRefusedNamingActivity() {
            fixture.given(opened())
                   .when(new RecordWorkCommand(CASE, "e1", "BACK-1", "s2", " ", at("09:00:00"), at("09:45:00")))
                   .expectException(violationOf("activity"))
                   .expectNoEvents();
        }

        @Test
        void givenOpenCase_whenRecordDecision_thenDecisionRecorded() {
            fixture.given(opened())
                   .when(new RecordDecisionCommand(CASE, "e1", DecisionOutcome.GRANTED, "BACK-1", at("10:00:00")))
                   .expectEvents(new DecisionRecorded(CASE, "e1", DecisionOutcome.GRANTED, "BACK-1", at("10:00:00")));
        }

        @Test
        void givenOpenCase_whenDecisionWithoutOutcome_thenRefusedNamingOutcome() {
            fixture.given(opened())
                   .when(new RecordDecisionCommand(CASE, "e1", null, "BACK-1", at("10:00:00")))
                   .expectException(violationOf("outcome"))
                   .expectNoEvents();
        }
    }

    @Nested
    class ResolutionReopeningAndSatisfaction {

        @Test
        void givenOpenCase_whenResolve_thenResolved() {
            fixture.given(opened())
                   .when(new ResolveCaseCommand(CASE, "e1", "KBH-KC", at("07:30:00")))
                   .expectEvents(new CaseResolved(CASE, "e1", "KBH-KC", at("07:30:00")));
        }

        @Test
        void givenResolvedCase_whenResolveAgain_thenRefused() {
            fixture.given(opened(), new CaseResolved(CASE, "e1", "KBH-KC", at("07:30:00")))
                   .when(new ResolveCaseCommand(CASE, "e2", "KBH-KC", at("07:40:00")))
                   .expectException(violationOf("caseId"))
                   .expectNoEvents();
        }

        @Test
        void givenResolvedCase_whenReopenOnAppeal_thenReopened() {
            fixture.given(opened(), new CaseResolved(CASE, "e1", "KBH-KC", at("07:30:00")))
                   .when(new ReopenCaseCommand(CASE, "e2", ReopenReason.APPEAL, "BACK-1", at("12:00:00")))
                   .expectEvents(new CaseReopened(CASE, "e2", ReopenReason.APPEAL, "BACK-1", at("12:00:00")));
        }

        @Test
        void givenOpenCase_whenReopen_thenRefusedNamingCaseId() {
            fixture.given(opened())
                   .when(new ReopenCaseCommand(CASE, "e2", ReopenReason.APPEAL, "BACK-1", at("12:00:00")))
                   .expectException(violationOf("caseId"))
                   .expectNoEvents();
        }

        @Test
        void givenReopenedCase_whenRecordContact_thenAcceptedAgain() {
            fixture.given(opened(), new CaseResolved(CASE, "e1", "KBH-KC", at("07:30:00")),
                          new CaseReopened(CASE, "e2", ReopenReason.NEW_INFORMATION, "KBH-KC", at("12:00:00")))
                   .when(contact("e3", at("12:05:00"), at("12:15:00")))
                   .expectSuccessfulHandlerExecution();
        }

        @Test
        void givenResolvedCase_whenRecordSatisfaction_thenRecorded() {
            fixture.given(opened(), new CaseResolved(CASE, "e1", "KBH-KC", at("07:30:00")))
                   .when(new RecordSatisfactionCommand(CASE, "e2", 4, Channel.SELF_SERVICE, at("08:00:00")))
                   .expectEvents(new SatisfactionRecorded(CASE, "e2", 4, Channel.SELF_SERVICE, at("08:00:00")));
        }

        @Test
        void givenOpenCase_whenSatisfactionScoreOutOfRange_thenRefusedNamingScore() {
            fixture.given(opened())
                   .when(new RecordSatisfactionCommand(CASE, "e2", 6, Channel.SELF_SERVICE, at("08:00:00")))
                   .expectException(violationOf("score"))
                   .expectNoEvents();
        }
    }

    @Nested
    class Corrections {

        private final ContactRecorded contact = contactRecorded("e1", at("07:15:00"), at("07:25:00"));

        @Test
        void givenContact_whenCorrectItsEnd_thenCorrectionCarriesTheCorrectedContact() {
            EntryChanges changes = new EntryChanges(null, null, null, null, null, null, null, at("07:45:00"), null,
                                                    null, null, null, null);
            fixture.given(opened(), contact)
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "the call lasted longer", changes, false,
                                                 at("09:00:00")))
                   .expectEvents(new EntryCorrected(CASE, "e2", "e1", "the call lasted longer",
                                                    contactRecorded("e1", at("07:15:00"), at("07:45:00")),
                                                    at("09:00:00")));
        }

        @Test
        void givenContact_whenCorrectionMakesItEndBeforeItStarts_thenRefusedNamingEndedAt() {
            EntryChanges changes = new EntryChanges(null, null, null, null, null, null, null, at("07:00:00"), null,
                                                    null, null, null, null);
            fixture.given(opened(), contact)
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "typo", changes, false, at("09:00:00")))
                   .expectException(violationOf("changes.endedAt"))
                   .expectNoEvents();
        }

        @Test
        void givenContact_whenCorrectAFieldContactsDoNotHave_thenRefusedNamingIt() {
            EntryChanges changes = new EntryChanges(null, null, null, null, null, null, null, null, null, null,
                                                    DecisionOutcome.REFUSED, null, null);
            fixture.given(opened(), contact)
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "typo", changes, false, at("09:00:00")))
                   .expectException(violationOf("changes.outcome"))
                   .expectNoEvents();
        }

        @Test
        void givenContact_whenVoided_thenCorrectionWithoutReplacement() {
            fixture.given(opened(), contact)
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "recorded on the wrong case", null, true,
                                                 at("09:00:00")))
                   .expectEvents(new EntryCorrected(CASE, "e2", "e1", "recorded on the wrong case", null,
                                                    at("09:00:00")));
        }

        @Test
        void givenVoidedContact_whenCorrectedAgain_thenRefusedAsConflict() {
            fixture.given(opened(), contact, new EntryCorrected(CASE, "e2", "e1", "wrong case", null, at("09:00:00")))
                   .when(new CorrectEntryCommand(CASE, "e3", "e1", "again", null, true, at("09:10:00")))
                   .expectException(violationOf("correctedEntryId"))
                   .expectNoEvents();
        }

        @Test
        void givenHandover_whenCorrected_thenRefusedNamingCorrectedEntryId() {
            fixture.given(opened(), new CaseHandedOver(CASE, "e1", "KBH-KC", "BS-NORD", HandoverReason.OTHER, null,
                                                       at("07:30:00")))
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "wrong unit", null, true, at("09:00:00")))
                   .expectException(violationOf("correctedEntryId"))
                   .expectNoEvents();
        }

        @Test
        void givenCase_whenCorrectingUnknownEntry_thenRefusedNamingCorrectedEntryId() {
            fixture.given(opened())
                   .when(new CorrectEntryCommand(CASE, "e2", "nope", "typo", null, true, at("09:00:00")))
                   .expectException(violationOf("correctedEntryId"))
                   .expectNoEvents();
        }

        @Test
        void givenContact_whenCorrectionWithoutReason_thenRefusedNamingReason() {
            fixture.given(opened(), contact)
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", " ", null, true, at("09:00:00")))
                   .expectException(violationOf("reason"))
                   .expectNoEvents();
        }

        @Test
        void givenContact_whenCorrectionBothChangesAndVoids_thenRefusedNamingChanges() {
            EntryChanges changes = new EntryChanges(Channel.EMAIL, null, null, null, null, null, null, null, null,
                                                    null, null, null, null);
            fixture.given(opened(), contact)
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "typo", changes, true, at("09:00:00")))
                   .expectException(violationOf("changes"))
                   .expectNoEvents();
        }

        @Test
        void givenResolvedCase_whenCorrectAContact_thenAccepted() {
            EntryChanges changes = new EntryChanges(Channel.EMAIL, null, null, null, null, null, null, null, null,
                                                    null, null, null, null);
            fixture.given(opened(), contact, new CaseResolved(CASE, "e3", "KBH-KC", at("08:00:00")))
                   .when(new CorrectEntryCommand(CASE, "e2", "e1", "it was an e-mail", changes, false,
                                                 at("09:00:00")))
                   .expectSuccessfulHandlerExecution();
        }

        @Test
        void givenAnswerThatWasVoided_whenInformationProvided_thenItAnswersTheReopenedRequest() {
            fixture.given(opened(),
                          new InformationRequested(CASE, "e1", InformationType.INCOME, null, "BS-NORD", at("09:00:00")),
                          new InformationProvided(CASE, "e2", InformationType.INCOME, Channel.EMAIL, "BS-NORD", "e1",
                                                  false, at("10:00:00")),
                          new EntryCorrected(CASE, "e3", "e2", "wrong case", null, at("10:30:00")))
                   .when(new ProvideInformationCommand(CASE, "e4", InformationType.INCOME, Channel.EMAIL, "BS-NORD",
                                                       null, at("11:00:00")))
                   .expectEvents(new InformationProvided(CASE, "e4", InformationType.INCOME, Channel.EMAIL,
                                                         "BS-NORD", "e1", false, at("11:00:00")));
        }
    }

    @Nested
    class Idempotency {

        private final Map<String, Object> key = Map.of(LedgerMetadata.IDEMPOTENCY_KEY, "k-1",
                                                       LedgerMetadata.REQUEST_FINGERPRINT, "f-1");

        private GenericDomainEventMessage<ContactRecorded> contactWithKey() {
            return new GenericDomainEventMessage<>("CaseAggregate", CASE, 1,
                                                   contactRecorded("e1", at("07:15:00"), at("07:25:00")),
                                                   MetaData.from(key));
        }

        @Test
        void givenContactRecordedUnderKey_whenSameRequestRetried_thenNothingRecordedAndFirstEntryAnswered() {
            fixture.given(List.of(new GenericDomainEventMessage<>("CaseAggregate", CASE, 0, opened()), contactWithKey()))
                   .when(contact("e7", at("07:15:00"), at("07:25:00")), key)
                   .expectSuccessfulHandlerExecution()
                   .expectResultMessagePayload("e1")
                   .expectNoEvents();
        }

        @Test
        void givenContactRecordedUnderKey_whenKeyReusedWithAnotherRequest_thenRefusedAndNothingRecorded() {
            fixture.given(List.of(new GenericDomainEventMessage<>("CaseAggregate", CASE, 0, opened()), contactWithKey()))
                   .when(contact("e7", at("07:15:00"), at("07:35:00")),
                         Map.of(LedgerMetadata.IDEMPOTENCY_KEY, "k-1", LedgerMetadata.REQUEST_FINGERPRINT, "f-2"))
                   .expectException(Matchers.predicate(e -> e instanceof RuleViolation violation
                           && violation.kind() == RuleViolation.Kind.UNPROCESSABLE))
                   .expectNoEvents();
        }

        @Test
        void givenCaseOpenedUnderKey_whenOpenRetried_thenFirstEntryAnswered() {
            fixture.given(List.of(new GenericDomainEventMessage<>("CaseAggregate", CASE, 0, opened(),
                                                                  MetaData.from(key))))
                   .when(new OpenCaseCommand(CASE, "e5", CPR, CitizenGroup.ELDERLY, ServiceArea.HOUSING_BENEFIT,
                                             "101", Channel.PHONE, "KBH-KC", OPENED), key)
                   .expectResultMessagePayload("e0")
                   .expectNoEvents();
        }
    }

}
