package dk.casejourney.audit;

import dk.casejourney.audit.api.AsOfBasis;
import dk.casejourney.audit.api.CaseAsOf;
import dk.casejourney.audit.api.CaseAsOf.EntryState;
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
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WaitingFor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyReplayTest {

    private static final String CASE = "case-1";
    private final List<JourneyReplay.Recorded> events = new ArrayList<>();

    private static Instant day(int day, String time) {
        return Instant.parse("2024-03-%02dT%sZ".formatted(day, time));
    }

    /** Records an event at a recorded time; sequence numbers follow the order of recording. */
    private void record(Instant recordedAt, CaseEvent event) {
        events.add(new JourneyReplay.Recorded(events.size(), "event-" + events.size(), recordedAt, "caseworker", event));
    }

    private void journey() {
        record(day(4, "08:00:00"), new CaseOpened(CASE, "open", null, "P-1", CitizenGroup.ELDERLY,
                                                  AgeBand.AGE_50_66, ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE,
                                                  "KC", day(4, "08:00:00")));
        record(day(4, "08:30:00"), new ContactRecorded(CASE, "contact", Channel.PHONE, Direction.INBOUND, "KC", "s1",
                                                       ContactPurpose.APPLICATION, null, day(4, "08:00:00"),
                                                       day(4, "08:10:00"), day(4, "08:00:00")));
        record(day(4, "09:00:00"), new CaseHandedOver(CASE, "handover", "KC", "BS", HandoverReason.NEEDS_EXPERTISE,
                                                      null, day(4, "09:00:00")));
        record(day(4, "10:00:00"), new InformationRequested(CASE, "request", InformationType.INCOME, null, "BS",
                                                            day(4, "10:00:00")));
        // Recorded on the 8th, but it happened on the 5th.
        record(day(8, "09:00:00"), new InformationProvided(CASE, "answer", InformationType.INCOME, Channel.EMAIL, "BS",
                                                           "request", false, day(5, "09:00:00")));
        record(day(9, "09:00:00"), new EntryCorrected(CASE, "fix", "contact", "wrong unit",
                                                      new ContactRecorded(CASE, "contact", Channel.PHONE,
                                                                          Direction.INBOUND, "KC2", "s1",
                                                                          ContactPurpose.APPLICATION, null,
                                                                          day(4, "08:00:00"), day(4, "08:10:00"),
                                                                          day(4, "08:00:00")), day(9, "09:00:00")));
        record(day(10, "09:00:00"), new CaseResolved(CASE, "resolve", "BS", day(10, "09:00:00")));
    }

    private CaseAsOf.State state(Instant asOf, AsOfBasis basis) {
        return JourneyReplay.replay(events, asOf, basis).orElseThrow().state();
    }

    @Test
    void givenAMomentBeforeTheOpening_whenReplayed_thenThereIsNoCase() {
        journey();

        assertThat(JourneyReplay.replay(events, day(3, "12:00:00"), AsOfBasis.RECORDED)).isEmpty();
        assertThat(JourneyReplay.replay(events, day(3, "12:00:00"), AsOfBasis.OCCURRED)).isEmpty();
    }

    @Test
    void givenALateRecordedAnswer_whenReplayedAsRecorded_thenTheCaseStillWaitedForTheCitizen() {
        journey();

        CaseAsOf.State state = state(day(6, "12:00:00"), AsOfBasis.RECORDED);

        assertThat(state.status()).isEqualTo(CaseStatus.OPEN);
        assertThat(state.holder()).isEqualTo(new CaseAsOf.Holder("BS", day(4, "09:00:00")));
        assertThat(state.waitingFor()).isEqualTo(WaitingFor.CITIZEN);
        assertThat(state.openInformationRequests()).extracting(CaseAsOf.OpenRequest::requestId).containsExactly("request");
        assertThat(state.informationProvided()).isEmpty();
        assertThat(state.version()).isEqualTo(3);
    }

    @Test
    void givenALateRecordedAnswer_whenReplayedAsOccurred_thenTheAnswerCountsFromWhenItHappened() {
        journey();

        CaseAsOf.State state = state(day(6, "12:00:00"), AsOfBasis.OCCURRED);

        assertThat(state.waitingFor()).isEqualTo(WaitingFor.MUNICIPALITY);
        assertThat(state.openInformationRequests()).isEmpty();
        assertThat(state.informationProvided()).singleElement().satisfies(provided -> {
            assertThat(provided.informationType()).isEqualTo(InformationType.INCOME);
            assertThat(provided.timesProvided()).isEqualTo(1);
            assertThat(provided.firstProvidedAt()).isEqualTo(day(5, "09:00:00"));
        });
    }

    @Test
    void givenALaterCorrection_whenReplayed_thenAsRecordedShowsTheOriginalAndAsOccurredTheCorrection() {
        journey();

        List<JourneyReplay.Entry> recorded = JourneyReplay.replay(events, day(6, "12:00:00"), AsOfBasis.RECORDED)
                                                          .orElseThrow().entries();
        List<JourneyReplay.Entry> occurred = JourneyReplay.replay(events, day(6, "12:00:00"), AsOfBasis.OCCURRED)
                                                          .orElseThrow().entries();

        JourneyReplay.Entry before = recorded.stream().filter(e -> e.recorded().event().entryId().equals("contact"))
                                             .findFirst().orElseThrow();
        assertThat(before.state()).isEqualTo(EntryState.RECORDED);
        assertThat(before.correctedBy()).isEmpty();
        JourneyReplay.Entry after = occurred.stream().filter(e -> e.recorded().event().entryId().equals("contact"))
                                            .findFirst().orElseThrow();
        assertThat(after.state()).isEqualTo(EntryState.CORRECTED);
        assertThat(((ContactRecorded) after.current()).unit()).isEqualTo("KC2");
        assertThat(after.correctedBy()).containsExactly("fix");
        assertThat(occurred).extracting(e -> e.recorded().event().entryId())
                            .containsExactly("open", "contact", "handover", "request", "answer", "fix");
    }

    @Test
    void givenTheWholeJourney_whenReplayedAfterItsEnd_thenBothBasesAgree() {
        journey();

        CaseAsOf.State recorded = state(day(11, "00:00:00"), AsOfBasis.RECORDED);
        CaseAsOf.State occurred = state(day(11, "00:00:00"), AsOfBasis.OCCURRED);

        assertThat(recorded).isEqualTo(occurred);
        assertThat(recorded.status()).isEqualTo(CaseStatus.RESOLVED);
        assertThat(recorded.waitingFor()).isEqualTo(WaitingFor.NOBODY);
        assertThat(recorded.resolvedAt()).isEqualTo(day(10, "09:00:00"));
        assertThat(recorded.version()).isEqualTo(6);
    }

    @Test
    void givenAVoidedAnswer_whenReplayed_thenTheRequestIsOpenAgainAndReopeningClearsTheResolution() {
        journey();
        record(day(12, "09:00:00"), new CaseReopened(CASE, "reopen", ReopenReason.APPEAL, "BS", day(12, "09:00:00")));
        record(day(12, "10:00:00"), new EntryCorrected(CASE, "void", "answer", "recorded on the wrong case", null,
                                                       day(12, "10:00:00")));

        CaseAsOf.State state = state(day(13, "00:00:00"), AsOfBasis.RECORDED);

        assertThat(state.status()).isEqualTo(CaseStatus.OPEN);
        assertThat(state.resolvedAt()).isNull();
        assertThat(state.waitingFor()).isEqualTo(WaitingFor.CITIZEN);
        assertThat(state.informationProvided()).isEmpty();
    }
}
