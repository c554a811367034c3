package dk.casejourney.evaluation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.common.ReadModel;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryCorrected;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.journey.api.CaseEvent;
import org.axonframework.eventhandling.replay.GenericResetContext;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The projection as a plain object on the real tables: rows follow the events, corrections included. */
class JourneyProjectionTest {

    private static final Instant T = Instant.parse("2024-04-09T07:00:00Z");
    private JdbcTemplate jdbc;
    private JourneyProjection projection;

    @BeforeEach
    void database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/store", "classpath:projections/schema")
              .load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        projection = anotherInstance();
    }

    /** The read model as another instance (or this one restarted) has it: the same tables, nothing in memory. */
    private JourneyProjection anotherInstance() {
        return new JourneyProjection(
                new JourneyStore(JdbcClient.create(jdbc.getDataSource()), jdbc),
                new JourneyCalculator(UnitCalendars.defaults(), Map.of(), EvaluationDefinitions.load()),
                Clock.fixed(T.plusSeconds(86_400), ZoneOffset.UTC));
    }

    @Test
    void figuresAreRecomputedAsEventsArriveAndPersonalDataIsNotKept() {
        projection.on(new CaseOpened("c1", "o", new Citizen("key-1", "sealed-cpr"), "pseudo", CitizenGroup.YOUTH,
                                     AgeBand.AGE_18_29, ServiceArea.PARKING, "101", Channel.PHONE, "KC", T), 0, T);
        assertThat(jdbc.queryForObject("SELECT status FROM journey_case WHERE case_id = 'c1'", String.class))
                .isEqualTo("OPEN");
        assertThat(jdbc.queryForObject("SELECT lead_ms FROM journey_case", Long.class)).isEqualTo(86_400_000L);

        ContactRecorded contact = new ContactRecorded("c1", "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                                      ContactPurpose.STATUS_INQUIRY, null, T, T.plusSeconds(600), T);
        projection.on(contact, 1, T);
        projection.on(new CaseResolved("c1", "r", "KC", T.plusSeconds(3600)), 2, T);
        assertThat(jdbc.queryForMap("SELECT status, lead_ms, touchpoints, avoidable_contacts, first_contact_resolution "
                                            + "FROM journey_case"))
                .containsEntry("status", "RESOLVED").containsEntry("lead_ms", 3_600_000L)
                .containsEntry("touchpoints", 1).containsEntry("avoidable_contacts", 1)
                .containsEntry("first_contact_resolution", true);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journey_contact", Integer.class)).isEqualTo(1);

        projection.on(new EntryCorrected("c1", "x", "k", "wrong case", null, T.plusSeconds(7200)), 3, T);
        assertThat(jdbc.queryForMap("SELECT touchpoints, first_contact_resolution FROM journey_case"))
                .containsEntry("touchpoints", 0).containsEntry("first_contact_resolution", false);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journey_contact", Integer.class)).isZero();
        assertThat(jdbc.queryForList("SELECT events FROM journey_case_events", String.class))
                .singleElement().satisfies(kept -> assertThat(kept).contains("\"sequence\":3")
                                                                 .doesNotContain("sealed-cpr", "key-1"));

        projection.reset();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journey_case", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journey_case_events", Integer.class)).isZero();
    }

    @Test
    void givenARebuildsReset_whenTheTablesAreEmptiedAfterIt_thenAllRowsGoAndTheEvaluationReadsANewGeneration() {
        projection.on(new CaseOpened("c1", "o", new Citizen("key-1", "sealed-cpr"), "pseudo", CitizenGroup.YOUTH,
                                     AgeBand.AGE_18_29, ServiceArea.PARKING, "101", Channel.PHONE, "KC", T), 0, T);
        projection.on(new ContactRecorded("c1", "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                          ContactPurpose.STATUS_INQUIRY, null, T, T.plusSeconds(600), T), 1, T);
        long generation = jdbc.queryForObject("SELECT generation FROM journey_figures_version", Long.class);

        // The rebuild resets the tokens first: the handler leaves the tables to it.
        projection.reset(new GenericResetContext<>(ReadModel.EMPTIED_BY_REBUILD));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journey_case", Integer.class)).isEqualTo(1);

        projection.empty();
        for (String table : List.of("journey_case", "journey_case_events", "journey_contact", "journey_handover",
                                    "journey_path")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class)).as(table).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT generation FROM journey_figures_version", Long.class))
                .isEqualTo(generation + 1);
        // What it kept in memory of the case is gone too: the case is computed from its events again.
        projection.on(new CaseOpened("c1", "o", new Citizen("key-1", "sealed-cpr"), "pseudo", CitizenGroup.YOUTH,
                                     AgeBand.AGE_18_29, ServiceArea.PARKING, "101", Channel.PHONE, "KC", T), 0, T);
        assertThat(jdbc.queryForObject("SELECT touchpoints FROM journey_case", Integer.class)).isZero();
    }

    @Test
    void givenEventsInBatches_whenEachBatchCommits_thenRowsAreThoseOfOneEventAtATime() {
        CaseEvent opened = new CaseOpened("c2", "o", new Citizen("key-2", "sealed"), "pseudo", CitizenGroup.ELDERLY,
                                          AgeBand.AGE_67_PLUS, ServiceArea.PENSION, "101", Channel.PHONE, "KC", T);
        CaseEvent contact = new ContactRecorded("c2", "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                                ContactPurpose.APPLICATION, T.minusSeconds(30), T, T.plusSeconds(600), T);
        CaseEvent resolved = new CaseResolved("c2", "r", "KC", T.plusSeconds(3600));
        projection.on(opened, 0, T);
        projection.on(contact, 1, T);
        projection.on(resolved, 2, T);
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        // The case opens in the first batch and is continued in the second, which must read its earlier events.
        inBatch(() -> {
            projection.on(opened, 0, T);
            projection.on(contact, 1, T);
        });
        inBatch(() -> projection.on(resolved, 2, T));
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseContinuedByAnotherInstanceBetweenBatches_whenThisInstanceTakesItsNextBatch_thenNoEventIsMissed() {
        CaseEvent opened = new CaseOpened("c3", "o", new Citizen("key-3", "sealed"), "pseudo", CitizenGroup.ELDERLY,
                                          AgeBand.AGE_67_PLUS, ServiceArea.PENSION, "101", Channel.PHONE, "KC", T);
        CaseEvent contact = new ContactRecorded("c3", "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                                ContactPurpose.APPLICATION, T.minusSeconds(30), T, T.plusSeconds(600), T);
        CaseEvent second = new ContactRecorded("c3", "k2", Channel.EMAIL, Direction.INBOUND, "KC", null,
                                               ContactPurpose.QUESTION, null, T.plusSeconds(900), T.plusSeconds(960),
                                               T.plusSeconds(900));
        CaseEvent resolved = new CaseResolved("c3", "r", "KC", T.plusSeconds(3600));
        projection.on(opened, 0, T);
        projection.on(contact, 1, T);
        projection.on(second, 2, T);
        projection.on(resolved, 3, T);
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        JourneyProjection other = anotherInstance();
        // This instance keeps the events of its batches in memory; the event in between is another's (a segment
        // that moved), so this instance must not take its own memory of the case as all there is.
        inBatch(() -> {
            projection.on(opened, 0, T);
            projection.on(contact, 1, T);
        });
        inBatch(() -> other.on(second, 2, T));
        inBatch(() -> projection.on(resolved, 3, T));
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseStraddlingThreeBatches_whenEachCommits_thenRowsAreThoseOfOneEventAtATime() {
        List<CaseEvent> events = List.of(
                new CaseOpened("c4", "o", null, "pseudo", CitizenGroup.YOUTH, AgeBand.AGE_18_29, ServiceArea.PARKING,
                               "101", Channel.PHONE, "KC", T),
                new ContactRecorded("c4", "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                    ContactPurpose.APPLICATION, null, T, T.plusSeconds(600), T),
                new EntryCorrected("c4", "x", "k", "wrong case", null, T.plusSeconds(700)),
                new ContactRecorded("c4", "k2", Channel.EMAIL, Direction.INBOUND, "KC", null,
                                    ContactPurpose.QUESTION, null, T.plusSeconds(900), T.plusSeconds(960),
                                    T.plusSeconds(900)),
                new CaseResolved("c4", "r", "KC", T.plusSeconds(3600)));
        for (int i = 0; i < events.size(); i++) {
            projection.on(events.get(i), i, T);
        }
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        inBatch(() -> projection.on(events.get(0), 0, T));
        inBatch(() -> {
            projection.on(events.get(1), 1, T);
            projection.on(events.get(2), 2, T);
        });
        inBatch(() -> {
            projection.on(events.get(3), 3, T);
            projection.on(events.get(4), 4, T);
        });
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenSeveralCasesContinuedInOneBatch_whenItCommits_thenTheirRowsAreReplacedAndOtherCasesKeepTheirs() {
        List<String> cases = List.of("c3", "c4", "c5");
        Map<String, List<CaseEvent>> events = new java.util.LinkedHashMap<>();
        for (String id : cases) {
            events.put(id, List.of(
                    new CaseOpened(id, "o", new Citizen("key-" + id, "sealed"), "pseudo", CitizenGroup.ELDERLY,
                                   AgeBand.AGE_67_PLUS, ServiceArea.PENSION, "101", Channel.PHONE, "KC", T),
                    new ContactRecorded(id, "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                        ContactPurpose.APPLICATION, T.minusSeconds(30), T, T.plusSeconds(600), T),
                    new CaseResolved(id, "r", "KC", T.plusSeconds(3600))));
        }
        // One event at a time; c5 is not resolved.
        events.forEach((id, list) -> {
            for (int n = 0; n < (id.equals("c5") ? 2 : 3); n++) {
                projection.on(list.get(n), n, T);
            }
        });
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        inBatch(() -> events.values().forEach(list -> {
            projection.on(list.get(0), 0, T);
            projection.on(list.get(1), 1, T);
        }));
        // c3 and c4 have rows from the first batch that must all be replaced at once; c5's must stay as they are.
        inBatch(() -> {
            projection.on(events.get("c3").get(2), 2, T);
            projection.on(events.get("c4").get(2), 2, T);
        });
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseTheReplayHasLaterEventsOf_whenItsEarlierBatchesCommit_thenItsEventsAreKeptAndItsRowsWaitForItsLast() {
        List<CaseEvent> events = journey("c6");
        List<Map<String, Object>> oneByOne = oneAtATimeThenReset(events);
        inReplayBatch(Set.of("c6"), () -> projection.on(events.get(0), 0, T));
        assertThat(kept("c6")).containsExactly(0L);
        assertThat(count("journey_case", "c6")).isZero();
        inReplayBatch(Set.of("c6", "another case"), () -> {
            projection.on(events.get(1), 1, T);
            projection.on(events.get(2), 2, T);
        });
        assertThat(kept("c6")).containsExactly(0L, 1L, 2L);
        assertThat(count("journey_case", "c6")).isZero();
        assertThat(count("journey_contact", "c6")).isZero();
        inReplayBatch(Set.of(), () -> projection.on(events.get(3), 3, T));
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseTheReplayHasLaterEventsOfWithRowsFromAnEarlierBatch_whenItsLastBatchCommits_thenTheyAreReplaced() {
        List<CaseEvent> events = journey("c7");
        List<Map<String, Object>> oneByOne = oneAtATimeThenReset(events);
        // The first batch did not see the case's next event (beyond the read-ahead): its rows are written.
        inReplayBatch(Set.of(), () -> projection.on(events.get(0), 0, T));
        assertThat(count("journey_case", "c7")).isOne();
        // Another instance takes the replay over: nothing of the case is in its memory.
        JourneyProjection other = anotherInstance();
        inReplayBatch(other, Set.of("c7"), () -> other.on(events.get(1), 1, T));
        inReplayBatch(other, Set.of(), () -> {
            other.on(events.get(2), 2, T);
            other.on(events.get(3), 3, T);
        });
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseWaitingForLaterEventsThatNeverReachIt_whenTheReplayHasHandedThemOver_thenItsRowsAreWrittenAsTheyStand() {
        List<CaseEvent> events = journey("c9").subList(0, 2);
        CaseOpened other = new CaseOpened("c10", "o", null, "pseudo", CitizenGroup.YOUTH, AgeBand.AGE_18_29,
                                          ServiceArea.PARKING, "101", Channel.PHONE, "KC", T);
        projection.on(events.get(0), 0, T);
        projection.on(events.get(1), 1, T);
        projection.on(other, 0, T);
        List<Map<String, Object>> oneByOne = rows();

        projection.reset();
        inReplayBatch(Set.of("c9"), () -> {
            projection.on(events.get(0), 0, T);
            projection.on(events.get(1), 1, T);
        });
        assertThat(count("journey_case", "c9")).isZero();
        // Still ahead: a batch without the case leaves it waiting.
        inReplayBatch(Set.of("c9"), () -> projection.on(other, 0, T));
        assertThat(count("journey_case", "c9")).isZero();
        // c9's third event was in the next batch but parked before this read model (the dead-letter queue holds an
        // earlier event of the case, or it cannot be read): it never arrives.
        inReplayBatch(projection, Set.of(), Set.of("c9"), () -> {
        });
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseLeftWaitingByAnInstanceThatDied_whenTheOneTakingOverHandsOverItsLaterEventsWithoutThemReachingIt_thenItsRowsAreWritten() {
        List<CaseEvent> events = journey("c11").subList(0, 2);
        List<Map<String, Object>> oneByOne = oneAtATimeThenReset(events);
        inReplayBatch(Set.of("c11"), () -> {
            projection.on(events.get(0), 0, T);
            projection.on(events.get(1), 1, T);
        });
        assertThat(count("journey_case", "c11")).isZero();
        // That instance dies after the commit; another goes on from the stored tokens. Its first batch holds c11's
        // third event, parked before the read model: nothing of the waiting case is in the new instance's memory.
        JourneyProjection other = anotherInstance();
        inReplayBatch(other, Set.of(), Set.of("c11"), () -> {
        });
        assertThat(rows()).isEqualTo(oneByOne);
    }

    @Test
    void givenACaseTheReplayHasLaterEventsOfThatCannotBeComputed_whenItsBatchCommits_thenThatBatchFails() {
        CaseOpened unmeasurable = new CaseOpened("c8", "o", null, "pseudo", CitizenGroup.YOUTH, AgeBand.AGE_18_29,
                                                 ServiceArea.PARKING, "101", Channel.PHONE, "KC",
                                                 Instant.parse("-999999999-01-01T00:00:00Z"));

        assertThatThrownBy(() -> inReplayBatch(Set.of("c8"), () -> projection.on(unmeasurable, 0, T)))
                .hasMessageContaining("cannot be computed").hasMessageContaining("c8");
    }

    @Test
    void givenAKeptEvent_whenItIsDeliveredAgain_thenItIsRefusedAsTheEventsFailureAndTheKeptEventsStay() {
        List<CaseEvent> events = journey("c12");
        projection.on(events.get(0), 0, T);
        projection.on(events.get(1), 1, T);

        assertThatThrownBy(() -> projection.on(events.get(1), 1, T)).hasMessageContaining("c12's event 1");
        // In a batch the case fails the batch at its commit; the batch's retry computes the case in the event's
        // handler, where the failure is the event's own (and the dead-letter queue parks it).
        assertThatThrownBy(() -> inBatch(() -> projection.on(events.get(1), 1, T)))
                .hasMessageContaining("cannot be computed").hasMessageContaining("c12");
        assertThatThrownBy(() -> inBatch(() -> projection.on(events.get(1), 1, T)))
                .hasMessageContaining("c12's event 1");
        assertThat(kept("c12")).containsExactly(0L, 1L);
        // A later event goes on as before.
        inBatch(() -> projection.on(events.get(2), 2, T));
        assertThat(kept("c12")).containsExactly(0L, 1L, 2L);
    }

    /** The rows the events give handled one at a time, outside a replay; the read model is reset after. */
    private List<Map<String, Object>> oneAtATimeThenReset(List<CaseEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            projection.on(events.get(i), i, T);
        }
        List<Map<String, Object>> rows = rows();
        projection.reset();
        return rows;
    }

    /** A case's journey: opened, a phone application, an email question, resolved. */
    private static List<CaseEvent> journey(String caseId) {
        return List.of(new CaseOpened(caseId, "o", null, "pseudo", CitizenGroup.YOUTH, AgeBand.AGE_18_29,
                                      ServiceArea.PARKING, "101", Channel.PHONE, "KC", T),
                       new ContactRecorded(caseId, "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                           ContactPurpose.APPLICATION, null, T, T.plusSeconds(600), T),
                       new ContactRecorded(caseId, "k2", Channel.EMAIL, Direction.INBOUND, "KC", null,
                                           ContactPurpose.QUESTION, null, T.plusSeconds(900), T.plusSeconds(960),
                                           T.plusSeconds(900)),
                       new CaseResolved(caseId, "r", "KC", T.plusSeconds(3600)));
    }

    /** The sequence numbers of the case's kept events, in their order. */
    private List<Long> kept(String caseId) {
        return jdbc.queryForList("SELECT events FROM journey_case_events WHERE case_id = ?", String.class, caseId)
                   .stream().flatMap(json -> new EventCodec().kept(json).stream())
                   .map(JourneyStore.KeptEvent::sequenceNumber).toList();
    }

    private int count(String table, String caseId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE case_id = ?", Integer.class,
                                            caseId);
        return count == null ? 0 : count;
    }

    /** A batch of a rebuild's replay that has read later events of the given cases. */
    private void inReplayBatch(Set<String> ahead, Runnable events) {
        inReplayBatch(projection, ahead, Set.of(), events);
    }

    private static void inReplayBatch(JourneyProjection readModel, Set<String> ahead, Runnable events) {
        inReplayBatch(readModel, ahead, Set.of(), events);
    }

    /**
     * @param parked cases the batch holds events of that do not reach the read model (the events this test hands it
     *               reach it; the replay counts their cases among the batch's too, which needs no test here)
     */
    private static void inReplayBatch(JourneyProjection readModel, Set<String> ahead, Set<String> parked,
                                      Runnable events) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.resources().put(ReadModel.CASES_CONTINUED_IN_REPLAY, ahead);
        unitOfWork.resources().put(ReadModel.CASES_IN_REPLAY_BATCH, parked);
        readModel.replayBatch(unitOfWork);
        unitOfWork.execute(events);
    }

    private void inBatch(Runnable events) {
        DefaultUnitOfWork.startAndGet(null).execute(events);
    }

    private List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(jdbc.queryForList("SELECT * FROM journey_case ORDER BY case_id"));
        // When the rows were written, not what they hold: it differs between one event at a time and batches.
        rows.forEach(row -> row.remove("figures_version"));
        rows.addAll(jdbc.queryForList("SELECT * FROM journey_case_events ORDER BY case_id"));
        for (String table : List.of("journey_contact", "journey_handover",
                                    "journey_repeated_information", "journey_satisfaction", "journey_path",
                                    "journey_information")) {
            rows.addAll(jdbc.queryForList("SELECT * FROM " + table + " ORDER BY 1, 2, 3"));
        }
        return rows;
    }
}
