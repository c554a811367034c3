package dk.casejourney.journey;

import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.CaseReopened;
import java.util.Map;
import java.util.List;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.annotation.JsonInclude;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseHistory;
import dk.casejourney.journey.api.CaseList;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.FindCaseHistoryQuery;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.journey.api.FindCasesQuery;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.HistoryEntry;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.WaitingFor;
import dk.casejourney.citizens.api.CitizenErased;
import dk.casejourney.privacy.InMemoryCitizenKeys;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection and its queries as plain objects, on a real (in-memory) database migrated by Flyway. */
class CaseViewProjectionTest {

    private static final Pseudonymizer PSEUDONYMIZER = new Pseudonymizer("a-test-secret-of-some-length");
    private static final String CASE = "case-1";
    private static final String CPR = "0101701234";

    private PersonalDataVault vault;
    private CaseViewProjection projection;
    private CaseViewQueries queries;
    private JdbcClient jdbc;
    private JdbcDataSource dataSource;
    private ObjectMapper mapper;
    private long sequence;

    @BeforeEach
    void setUp() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/store", "classpath:projections/schema")
              .load().migrate();
        mapper = JsonMapper.builder().addModule(new JavaTimeModule())
                                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                        .serializationInclusion(JsonInclude.Include.NON_NULL).build();
        jdbc = JdbcClient.create(dataSource);
        vault = new PersonalDataVault(new InMemoryCitizenKeys());
        projection = new CaseViewProjection(new JdbcTemplate(dataSource), mapper, vault);
        queries = new CaseViewQueries(jdbc, mapper, PSEUDONYMIZER, vault);
        sequence = 0;
    }

    private void apply(CaseEvent event) {
        projection.on(event, sequence++, Instant.parse("2024-03-05T12:00:00Z").plusSeconds(sequence), "caseworker");
    }

    private static Instant at(String time) {
        return Instant.parse("2024-03-04T" + time + "Z");
    }

    private void openCase() {
        PersonalDataVault.Sealed sealed = vault.seal(PSEUDONYMIZER.pseudonymOf(CPR), CPR);
        apply(new CaseOpened(CASE, "e0", new Citizen(sealed.keyId(), sealed.text()), PSEUDONYMIZER.pseudonymOf(CPR),
                             CitizenGroup.ELDERLY,
                             AgeBand.AGE_50_66, ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC",
                             at("07:15:00")));
    }

    @Test
    void givenHandover_whenCaseIsRead_thenTheNewUnitHoldsItSinceTheHandover() {
        openCase();
        apply(new CaseHandedOver(CASE, "e1", "KBH-KC", "BS-NORD", HandoverReason.NEEDS_EXPERTISE, null, at("07:30:00")));

        CaseView view = queries.handle(new FindCaseQuery(CASE)).orElseThrow();

        assertThat(view.holder()).isEqualTo(new CaseView.Holder("BS-NORD", at("07:30:00")));
        assertThat(view.status()).isEqualTo(CaseStatus.OPEN);
        assertThat(view.waitingFor()).isEqualTo(WaitingFor.MUNICIPALITY);
        assertThat(view.cpr()).isEqualTo(CPR);
        assertThat(view.version()).isEqualTo(1);
    }

    @Test
    void givenOpenRequest_whenAnswered_thenCaseStopsWaitingForTheCitizenAndRemembersTheInformation() {
        openCase();
        apply(new InformationRequested(CASE, "e1", InformationType.INCOME, null, "BS-NORD", at("09:00:00")));
        assertThat(queries.handle(new FindCaseQuery(CASE)).orElseThrow().waitingFor()).isEqualTo(WaitingFor.CITIZEN);

        apply(new InformationProvided(CASE, "e2", InformationType.INCOME, Channel.EMAIL, "BS-NORD", "e1", false,
                                      at("10:00:00")));
        apply(new InformationProvided(CASE, "e3", InformationType.INCOME, Channel.PHONE, "KBH-KC", null, true,
                                      at("11:00:00")));

        CaseView view = queries.handle(new FindCaseQuery(CASE)).orElseThrow();
        assertThat(view.waitingFor()).isEqualTo(WaitingFor.MUNICIPALITY);
        assertThat(view.openInformationRequests()).isEmpty();
        assertThat(view.informationProvided()).containsExactly(new CaseView.ProvidedInformation(
                InformationType.INCOME, at("10:00:00"), Channel.EMAIL, "BS-NORD", at("11:00:00"), 2));
    }

    @Test
    void givenVoidedAnswer_whenCaseIsRead_thenItWaitsForTheCitizenAgain() {
        openCase();
        apply(new InformationRequested(CASE, "e1", InformationType.INCOME, null, "BS-NORD", at("09:00:00")));
        apply(new InformationProvided(CASE, "e2", InformationType.INCOME, Channel.EMAIL, "BS-NORD", "e1", false,
                                      at("10:00:00")));
        apply(new EntryCorrected(CASE, "e3", "e2", "wrong case", null, at("10:30:00")));

        CaseView view = queries.handle(new FindCaseQuery(CASE)).orElseThrow();
        assertThat(view.waitingFor()).isEqualTo(WaitingFor.CITIZEN);
        assertThat(view.informationProvided()).isEmpty();
    }

    @Test
    void givenCorrectedContact_whenHistoryIsRead_thenCorrectionStandsAgainstWhatItCorrects() {
        openCase();
        ContactRecorded contact = new ContactRecorded(CASE, "e1", Channel.PHONE, Direction.INBOUND, "KBH-KC", "s1",
                                                      ContactPurpose.QUESTION, null, at("08:00:00"), at("08:10:00"),
                                                      at("08:00:00"));
        apply(contact);
        apply(new EntryCorrected(CASE, "e2", "e1", "it was an e-mail", new ContactRecorded(
                CASE, "e1", Channel.EMAIL, Direction.INBOUND, "KBH-KC", "s1", ContactPurpose.QUESTION, null,
                at("08:00:00"), at("08:10:00"), at("08:00:00")), at("09:00:00")));

        CaseHistory history = queries.handle(new FindCaseHistoryQuery(CASE)).orElseThrow();

        assertThat(history.entries()).extracting(HistoryEntry::entryId).containsExactly("e0", "e1", "e2");
        HistoryEntry corrected = history.entries().get(1);
        assertThat(corrected.state()).isEqualTo(HistoryEntry.State.CORRECTED);
        assertThat(corrected.details().get("channel").asText()).isEqualTo("PHONE");
        assertThat(corrected.current().get("channel").asText()).isEqualTo("EMAIL");
        assertThat(corrected.correctedBy()).containsExactly("e2");
        assertThat(history.entries().get(2).corrects()).isEqualTo("e1");
        assertThat(corrected.recordedBy()).isEqualTo("caseworker");
    }

    @Test
    void historyIsInOccurredAtOrderAndShowsNoCprNumber() {
        openCase();
        apply(new ContactRecorded(CASE, "late", Channel.PHONE, Direction.INBOUND, "KBH-KC", null,
                                  ContactPurpose.QUESTION, null, at("12:00:00"), at("12:10:00"), at("12:00:00")));
        apply(new ContactRecorded(CASE, "early", Channel.PHONE, Direction.INBOUND, "KBH-KC", null,
                                  ContactPurpose.QUESTION, null, at("08:00:00"), at("08:10:00"), at("08:00:00")));

        CaseHistory history = queries.handle(new FindCaseHistoryQuery(CASE)).orElseThrow();

        assertThat(history.entries()).extracting(HistoryEntry::entryId).containsExactly("e0", "early", "late");
        assertThat(history.toString()).doesNotContain(CPR);
    }

    @Test
    void searchFindsCasesByCprThroughThePseudonymAndByUnitAndStatus() {
        openCase();
        apply(new CaseResolved(CASE, "e1", "KBH-KC", at("08:00:00")));

        assertThat(queries.handle(new FindCasesQuery(CPR, null, null, 0, 10)).total()).isEqualTo(1);
        assertThat(queries.handle(new FindCasesQuery("010170-1234", "KBH-KC", CaseStatus.RESOLVED, 0, 10)).cases())
                .extracting(c -> c.caseId()).containsExactly(CASE);
        assertThat(queries.handle(new FindCasesQuery("0202701234", null, null, 0, 10)).total()).isZero();
        CaseList open = queries.handle(new FindCasesQuery(null, null, CaseStatus.OPEN, 0, 10));
        assertThat(open.cases()).isEmpty();
    }

    @Test
    void resetEmptiesTheReadModelSoItCanBeRebuilt() {
        openCase();
        projection.reset();
        assertThat(queries.handle(new FindCaseQuery(CASE))).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_citizen").query(Long.class).single()).isZero();
    }

    @Test
    void givenAnErasedCitizen_whenTheCaseIsRead_thenItShowsErasedAndKeepsNoSealedNumber() {
        openCase();
        vault.erase(PSEUDONYMIZER.pseudonymOf(CPR));
        projection.on(new CitizenErased(PSEUDONYMIZER.pseudonymOf(CPR), 1));

        CaseView view = queries.handle(new FindCaseQuery(CASE)).orElseThrow();

        assertThat(view.cpr()).isNull();
        assertThat(view.citizenErased()).isTrue();
        assertThat(view.citizenPseudonym()).isEqualTo(PSEUDONYMIZER.pseudonymOf(CPR));
        assertThat(queries.handle(new FindCaseHistoryQuery(CASE)).orElseThrow().citizenErased()).isTrue();
        assertThat(jdbc.sql("SELECT sealed_cpr FROM case_citizen").query(String.class).optional()).isEmpty();
    }

    @Test
    void givenAnErasedCitizen_whenTheProjectionIsRebuilt_thenTheSealedNumberIsNotStoredAgain() {
        PersonalDataVault.Sealed sealed = vault.seal(PSEUDONYMIZER.pseudonymOf(CPR), CPR);
        CaseOpened opened = new CaseOpened(CASE, "e0", new Citizen(sealed.keyId(), sealed.text()),
                                           PSEUDONYMIZER.pseudonymOf(CPR), CitizenGroup.ELDERLY, AgeBand.AGE_50_66,
                                           ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", at("07:15:00"));
        vault.erase(PSEUDONYMIZER.pseudonymOf(CPR));

        projection.reset();
        sequence = 0;
        apply(opened);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_citizen WHERE sealed_cpr IS NOT NULL").query(Long.class).single())
                .isZero();
        assertThat(queries.handle(new FindCaseQuery(CASE)).orElseThrow().citizenErased()).isTrue();
    }

    @Test
    void givenACaseOpenedAfterAnEarlierErasure_whenTheErasureIsReplayed_thenTheNewCaseKeepsItsNumber() {
        vault.seal(PSEUDONYMIZER.pseudonymOf(CPR), CPR);
        vault.erase(PSEUDONYMIZER.pseudonymOf(CPR));
        openCase();

        projection.on(new CitizenErased(PSEUDONYMIZER.pseudonymOf(CPR), 1));

        assertThat(queries.handle(new FindCaseQuery(CASE)).orElseThrow().cpr()).isEqualTo(CPR);
    }

    @Test
    void givenEventsInOneBatch_whenTheBatchCommits_thenRowsAreThoseOfOneEventAtATime() {
        PersonalDataVault.Sealed sealed = vault.seal(PSEUDONYMIZER.pseudonymOf(CPR), CPR);
        CaseOpened opened = new CaseOpened(CASE, "e0", new Citizen(sealed.keyId(), sealed.text()),
                                           PSEUDONYMIZER.pseudonymOf(CPR), CitizenGroup.ELDERLY, AgeBand.AGE_50_66,
                                           ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", at("07:15:00"));
        List<Runnable> events = List.of(
                () -> apply(opened),
                () -> apply(new CaseHandedOver(CASE, "e1", "KBH-KC", "BS-NORD", HandoverReason.NEEDS_EXPERTISE, null,
                                               at("09:30:00"))),
                () -> apply(new ContactRecorded(CASE, "e2", Channel.PHONE, Direction.INBOUND, "BS-NORD", "s1",
                                                ContactPurpose.QUESTION, null, at("08:00:00"), at("08:10:00"),
                                                at("08:00:00"))),
                () -> apply(new EntryCorrected(CASE, "e3", "e2", "wrong case", null, at("10:00:00"))),
                () -> apply(new CaseResolved(CASE, "e4", "BS-NORD", at("11:00:00"))),
                () -> apply(new CaseReopened(CASE, "e5", ReopenReason.APPEAL, "BS-NORD", at("12:00:00"))),
                () -> apply(new CaseHandedOver(CASE, "e6", "BS-NORD", "BACK", HandoverReason.AUTHORITY_ELSEWHERE,
                                               null, at("12:30:00"))),
                () -> apply(new CaseResolved(CASE, "e7", "BACK", at("11:30:00"))));
        events.forEach(Runnable::run);
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        sequence = 0;
        DefaultUnitOfWork.startAndGet(null).execute(() -> events.forEach(Runnable::run));
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseOpenedInAnEarlierBatch_whenItsLaterEventsCommitInOneBatch_thenRowsAreThoseOfOneEventAtATime() {
        PersonalDataVault.Sealed sealed = vault.seal(PSEUDONYMIZER.pseudonymOf(CPR), CPR);
        CaseOpened opened = new CaseOpened(CASE, "e0", new Citizen(sealed.keyId(), sealed.text()),
                                           PSEUDONYMIZER.pseudonymOf(CPR), CitizenGroup.ELDERLY, AgeBand.AGE_50_66,
                                           ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", at("07:15:00"));
        apply(opened);
        List<Runnable> later = List.of(
                () -> apply(new CaseHandedOver(CASE, "e1", "KBH-KC", "BS-NORD", HandoverReason.NEEDS_EXPERTISE, null,
                                               at("09:30:00"))),
                () -> apply(new CaseResolved(CASE, "e2", "BS-NORD", at("11:00:00"))),
                () -> apply(new CaseReopened(CASE, "e3", ReopenReason.APPEAL, "BS-NORD", at("12:00:00"))),
                () -> apply(new CaseResolved(CASE, "e4", "BS-NORD", at("10:30:00"))));
        later.forEach(Runnable::run);
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        sequence = 0;
        DefaultUnitOfWork.startAndGet(null).execute(() -> apply(opened));
        DefaultUnitOfWork.startAndGet(null).execute(() -> later.forEach(Runnable::run));
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenAnOpeningAndTheCitizensErasureInOneBatch_whenTheBatchCommits_thenNoSealedNumberIsKept() {
        DefaultUnitOfWork.startAndGet(null).execute(() -> {
            openCase();
            vault.erase(PSEUDONYMIZER.pseudonymOf(CPR));
            projection.on(new CitizenErased(PSEUDONYMIZER.pseudonymOf(CPR), 1));
        });

        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_citizen WHERE sealed_cpr IS NOT NULL").query(Long.class).single())
                .isZero();
        assertThat(queries.handle(new FindCaseQuery(CASE)).orElseThrow().citizenErased()).isTrue();
    }

    @Test
    void givenManyCasesOpenedInOneBatch_whenTheBatchCommits_thenTheKeyStoreIsAskedOnceWhoseNumbersCanBeKept() {
        AtomicInteger oneByOne = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        InMemoryCitizenKeys keys = new InMemoryCitizenKeys() {
            @Override
            public synchronized boolean exists(String keyId) {
                oneByOne.incrementAndGet();
                return super.exists(keyId);
            }

            @Override
            public Set<String> kept(Collection<String> keyIds) {
                batches.incrementAndGet();
                return keyIds.stream().filter(super::exists).collect(Collectors.toSet());
            }
        };
        vault = new PersonalDataVault(keys);
        projection = new CaseViewProjection(new JdbcTemplate(dataSource), mapper, vault);
        List<String> cprs = IntStream.range(0, 20).mapToObj(n -> String.format("01017%05d", n)).toList();
        List<CaseOpened> openings = cprs.stream().map(cpr -> {
            PersonalDataVault.Sealed sealed = vault.seal(PSEUDONYMIZER.pseudonymOf(cpr), cpr);
            return new CaseOpened("case-" + cpr, "e-" + cpr, new Citizen(sealed.keyId(), sealed.text()),
                                  PSEUDONYMIZER.pseudonymOf(cpr), CitizenGroup.ELDERLY, AgeBand.AGE_50_66,
                                  ServiceArea.HOUSING_BENEFIT, "101", Channel.PHONE, "KBH-KC", at("07:15:00"));
        }).toList();
        vault.erase(PSEUDONYMIZER.pseudonymOf(cprs.get(7)));

        DefaultUnitOfWork.startAndGet(null).execute(() -> openings.forEach(this::apply));

        assertThat(oneByOne).as("keys asked one by one").hasValue(0);
        assertThat(batches).as("asked for the batch").hasValue(1);
        assertThat(jdbc.sql("SELECT case_id FROM case_citizen WHERE sealed_cpr IS NULL").query(String.class).list())
                .containsExactly("case-" + cprs.get(7));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM case_citizen WHERE sealed_cpr IS NOT NULL").query(Long.class).single())
                .isEqualTo(19);
    }

    private List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (String table : List.of("case_view", "case_citizen", "case_history")) {
            rows.addAll(jdbc.sql("SELECT * FROM " + table + " ORDER BY 1, 2").query().listOfRows());
        }
        return rows;
    }
}
