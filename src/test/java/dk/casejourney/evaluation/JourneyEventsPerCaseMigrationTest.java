package dk.casejourney.evaluation;

import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.Citizen;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.ServiceArea;
import dk.casejourney.production.MigrationStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V152 moves the events journey-figures keeps from one journey_event row each into one journey_case_events row per
 * case, on each store with the same statement. Rows as the previous release wrote them (projections/schema up to
 * V151) must come out as the text this release writes for the same events, character for character: a rebuild
 * after the upgrade compares its rows with the migrated ones, and any difference would be reported as an alteration.
 */
class JourneyEventsPerCaseMigrationTest {

    private static final Instant T = Instant.parse("2025-03-30T00:59:59Z");
    private final EventCodec codec = new EventCodec();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void givenKeptEventsOfThePreviousRelease_whenMigrated_thenEachCaseHoldsThemAsThisReleaseWritesThem(String store)
            throws Exception {
        CaseEvent opened = new CaseOpened("a", "o", new Citizen("key-1", "sealed-cpr"), "pseudo", CitizenGroup.YOUTH,
                                          AgeBand.AGE_18_29, ServiceArea.PARKING, "101", Channel.PHONE,
                                          "KC \"nord\" æøå \\ ☃", T);
        CaseEvent contact = new ContactRecorded("a", "k", Channel.PHONE, Direction.INBOUND, "KC", null,
                                                ContactPurpose.STATUS_INQUIRY, null, T, T.plusSeconds(600), T);
        CaseEvent resolved = new CaseResolved("a", "r", "KC", T.plusSeconds(3600));
        CaseEvent otherOpened = new CaseOpened("b", "o", null, "pseudo-2", CitizenGroup.ELDERLY, AgeBand.AGE_67_PLUS,
                                               ServiceArea.PARKING, "101", Channel.SELF_SERVICE, "KC", T, "trace-9", "log");
        CaseEvent otherResolved = new CaseResolved("b", "r", "KC", T.plusSeconds(60));
        // Recorded times with more digits than the columns keep (the stores round them half up to microseconds),
        // one on the boundary of a second and one before 1970.
        Instant first = Instant.parse("2025-03-30T00:59:59.999999500Z");
        Instant second = Instant.parse("2025-03-30T01:00:00.000000499Z");
        Instant third = Instant.parse("2025-03-30T01:00:00.123456789Z");
        Instant early = Instant.parse("1969-12-31T23:59:59.123456500Z");
        try (MigrationStore db = MigrationStore.open(store, "v152")) {
            db.flyway("151").migrate();
            JdbcClient jdbc = JdbcClient.create(db.dataSource());
            // Written out of order on purpose; b's event 1 was parked in the dead-letter queue, never kept.
            keptBefore(jdbc, resolved, 2, third);
            keptBefore(jdbc, otherResolved, 2, early);
            keptBefore(jdbc, opened, 0, first);
            keptBefore(jdbc, otherOpened, 0, T);
            keptBefore(jdbc, contact, 1, second);

            db.flyway("latest").migrate();

            List<JourneyStore.KeptEvent> a = List.of(kept(opened, 0, first), kept(contact, 1, second),
                                                     kept(resolved, 2, third));
            List<JourneyStore.KeptEvent> b = List.of(kept(otherOpened, 0, T), kept(otherResolved, 2, early));
            assertThat(jdbc.sql("SELECT case_id, events FROM journey_case_events ORDER BY case_id")
                           .query().listOfRows())
                    .containsExactly(Map.of("case_id", "a", "events", codec.keep(a)),
                                     Map.of("case_id", "b", "events", codec.keep(b)));
            List<JourneyStore.KeptEvent> read = codec.kept(jdbc.sql("SELECT events FROM journey_case_events "
                                                                            + "WHERE case_id = 'a'")
                                                               .query(String.class).single());
            assertThat(read).extracting(JourneyStore.KeptEvent::sequenceNumber).containsExactly(0L, 1L, 2L);
            assertThat(read).extracting(e -> e.recorded().recordedAt())
                            .containsExactly(Instant.parse("2025-03-30T01:00:00Z"),
                                             Instant.parse("2025-03-30T01:00:00Z"),
                                             Instant.parse("2025-03-30T01:00:00.123457Z"));
            assertThat(read).extracting(e -> codec.encode(e.recorded().event()))
                            .containsExactly(codec.encode(opened), codec.encode(contact), codec.encode(resolved));
            assertThat(codec.kept(codec.keep(b))).extracting(e -> e.recorded().recordedAt())
                                                 .containsExactly(T, Instant.parse("1969-12-31T23:59:59.123457Z"));
            assertThatThrownBy(() -> jdbc.sql("SELECT COUNT(*) FROM journey_event").query(Long.class).single())
                    .isInstanceOf(DataAccessException.class);
        }
    }

    private static JourneyStore.KeptEvent kept(CaseEvent event, long sequence, Instant recordedAt) {
        return new JourneyStore.KeptEvent(new RecordedEvent(event, recordedAt), sequence);
    }

    /** A journey_event row as JourneyStore wrote it before V152. */
    private void keptBefore(JdbcClient jdbc, CaseEvent event, long sequence, Instant recordedAt) {
        jdbc.sql("INSERT INTO journey_event (case_id, sequence_number, recorded_at, event_type, payload) "
                         + "VALUES (?, ?, ?, ?, ?)")
            .params(event.caseId(), sequence, recordedAt.atOffset(ZoneOffset.UTC), EventCodec.type(event),
                    codec.encode(event))
            .update();
    }
}
