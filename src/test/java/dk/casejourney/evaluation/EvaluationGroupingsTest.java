package dk.casejourney.evaluation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.Evaluations;
import dk.casejourney.evaluation.api.FindEvaluationsQuery;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.SatisfactionRecorded;
import dk.casejourney.journey.api.ServiceArea;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several groupings answered from one read of the cases ({@link FindEvaluationsQuery}, the dashboard's query) give
 * exactly the reports the evaluation gives for each grouping alone, over a wide period (sequential reads), a
 * narrow one (indexed joins) and with a filter.
 */
class EvaluationGroupingsTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final Instant NOW = Instant.parse("2024-12-31T12:00:00Z");
    private static final List<List<Dimension>> GROUPINGS = List.of(
            List.of(), List.of(Dimension.MONTH), List.of(Dimension.CHANNEL),
            List.of(Dimension.CITIZEN_GROUP, Dimension.QUARTER), List.of(Dimension.UNIT));
    private final JourneyCalculator calculator =
            new JourneyCalculator(UnitCalendars.defaults(), Map.of(), EvaluationDefinitions.load());
    private JourneyStore store;
    private EvaluationQueries queries;

    @BeforeEach
    void database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/store", "classpath:projections/schema")
              .load().migrate();
        store = new JourneyStore(JdbcClient.create(dataSource), new JdbcTemplate(dataSource));
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        queries = new EvaluationQueries(jdbc, EvaluationReaders.on(jdbc), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Cases over 2024 with varied groups, channels, handovers, information given again and scores. */
    private void cases() {
        Channel[] channels = Channel.values();
        CitizenGroup[] groups = CitizenGroup.values();
        InformationType[] types = InformationType.values();
        for (int n = 0; n < 60; n++) {
            String id = "c" + n;
            Instant opened = LocalDateTime.of(LocalDate.of(2024, 1 + n % 12, 1 + n % 27), LocalTime.of(9, 0))
                                          .atZone(CPH).toInstant();
            Channel channel = channels[n % channels.length];
            List<RecordedEvent> events = new ArrayList<>();
            events.add(recorded(new CaseOpened(id, "o", null, "citizen" + n % 17, groups[n % groups.length],
                                               AgeBand.AGE_30_49, ServiceArea.PASSPORT, "101", channel, "KC", opened)));
            for (int k = 0; k <= n % 3; k++) {
                Instant at = opened.plusSeconds(600L * k);
                events.add(recorded(new ContactRecorded(id, "k" + k, channels[(n + k) % channels.length],
                                                        Direction.INBOUND, k == 0 ? "KC" : "BO", null,
                                                        k == 2 ? ContactPurpose.STATUS_INQUIRY : ContactPurpose.APPLICATION,
                                                        at.minusSeconds(30L * (n % 5)), at, at.plusSeconds(300), at)));
            }
            if (n % 2 == 0) {
                events.add(recorded(new CaseHandedOver(id, "h", "KC", n % 4 == 0 ? "BO" : "IT",
                                                       HandoverReason.NEEDS_EXPERTISE, null, opened.plusSeconds(3600))));
            }
            for (int k = 0; k < n % 3; k++) {
                events.add(recorded(new InformationProvided(id, "i" + k, types[(n / 3 + k % 2) % 4], Channel.EMAIL,
                                                            "KC", null, true, opened.plusSeconds(4000L + k))));
            }
            if (n % 5 != 0) {
                events.add(recorded(new CaseResolved(id, "r", n % 2 == 0 ? (n % 4 == 0 ? "BO" : "IT") : "KC",
                                                     opened.plusSeconds(7200L * (1 + n % 7)))));
                if (n % 3 == 0) {
                    events.add(recorded(new SatisfactionRecorded(id, "s", 1 + n % 5, channel,
                                                                 opened.plusSeconds(7200L * (1 + n % 7) + 60))));
                }
            }
            store.save(calculator.compute(events, NOW));
        }
    }

    private static RecordedEvent recorded(dk.casejourney.journey.api.CaseEvent event) {
        return new RecordedEvent(event, event.occurredAt());
    }

    private void assertEachGroupingAsAlone(EvaluationCriteria criteria) {
        Evaluations together = queries.handle(new FindEvaluationsQuery(criteria, GROUPINGS));

        assertThat(together.reports()).hasSize(GROUPINGS.size());
        for (int g = 0; g < GROUPINGS.size(); g++) {
            EvaluationReport alone = queries.evaluate(new EvaluationCriteria(criteria.from(), criteria.to(),
                                                                             criteria.filters(), GROUPINGS.get(g)));
            assertThat(together.reports().get(g)).as("grouping %s", GROUPINGS.get(g)).isEqualTo(alone);
        }
        assertThat(together.reports().get(0).groups().get(0).cases()).isPositive();
    }

    @Test
    void givenCasesOverAYear_whenTheWholeYearIsEvaluatedFiveWaysAtOnce_thenEachReportEqualsItsGroupingAlone() {
        cases();

        assertEachGroupingAsAlone(new EvaluationCriteria(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31),
                                                         Map.of(), List.of()));
    }

    @Test
    void givenCasesOverAYear_whenOneMonthIsEvaluatedFiveWaysAtOnce_thenEachReportEqualsItsGroupingAlone() {
        cases();

        assertEachGroupingAsAlone(new EvaluationCriteria(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31),
                                                         Map.of(), List.of()));
    }

    @Test
    void givenCasesOverAYear_whenAFilteredYearIsEvaluatedFiveWaysAtOnce_thenEachReportEqualsItsGroupingAlone() {
        cases();

        assertEachGroupingAsAlone(new EvaluationCriteria(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31),
                                                         Map.of(Dimension.CHANNEL, Channel.PHONE.name()), List.of()));
    }

    @Test
    void givenAContactWithoutQueue_whenEvaluated_thenQueueTimeCoversOnlyTheQueuedContact() {
        Instant opened = LocalDateTime.of(2024, 3, 4, 9, 0).atZone(CPH).toInstant();
        List<RecordedEvent> events = new ArrayList<>();
        events.add(recorded(new CaseOpened("q", "o", null, "p", CitizenGroup.ELDERLY, AgeBand.AGE_30_49,
                                           ServiceArea.PASSPORT, "101", Channel.PHONE, "KC", opened)));
        events.add(recorded(new ContactRecorded("q", "k1", Channel.PHONE, Direction.INBOUND, "KC", null,
                                                ContactPurpose.APPLICATION, opened.minusSeconds(60), opened,
                                                opened.plusSeconds(300), opened)));
        events.add(recorded(new ContactRecorded("q", "k2", Channel.SELF_SERVICE, Direction.INBOUND, "KC", null,
                                                ContactPurpose.QUESTION, null, opened.plusSeconds(600),
                                                opened.plusSeconds(700), opened.plusSeconds(600))));
        store.save(calculator.compute(events, NOW));

        for (LocalDate to : List.of(LocalDate.of(2024, 12, 31), LocalDate.of(2024, 3, 4))) {
            EvaluationReport.Group group = queries.evaluate(new EvaluationCriteria(
                    LocalDate.of(2024, 3, 4), to, Map.of(), List.of())).groups().get(0);

            assertThat(group.contacts()).isEqualTo(2);
            assertThat(group.queueTimeMs().count()).isEqualTo(1);
            assertThat(group.queueTimeMs().median()).isEqualTo(60_000.0);
            assertThat(group.queueTimeByChannelMs()).containsOnlyKeys(Channel.PHONE);
        }
    }
}
