package dk.casejourney.evaluation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.evaluation.api.Comparison;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindComparisonQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.ProcessMap;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluation over a small set of cases whose figures are known, on the real tables (H2 in memory). */
class EvaluationQueriesTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final Instant NOW = Instant.parse("2024-12-31T12:00:00Z");
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

    /** A case opened on the day at 09:00 with one contact, resolved {@code hours} later. */
    private void resolvedCase(String id, CitizenGroup group, LocalDate day, int hours, Channel channel,
                              boolean handover, Integer score) {
        Instant opened = LocalDateTime.of(day, java.time.LocalTime.of(9, 0)).atZone(CPH).toInstant();
        List<RecordedEvent> events = new ArrayList<>();
        events.add(recorded(new CaseOpened(id, "o", null, "p", group, AgeBand.AGE_30_49, ServiceArea.PASSPORT, "101",
                                           channel, "KC", opened)));
        events.add(recorded(new ContactRecorded(id, "k", channel, Direction.INBOUND, "KC", null,
                                                ContactPurpose.APPLICATION, opened.minusSeconds(60), opened,
                                                opened.plusSeconds(600), opened)));
        if (handover) {
            events.add(recorded(new CaseHandedOver(id, "h", "KC", "BO", HandoverReason.NEEDS_EXPERTISE, null,
                                                   opened.plusSeconds(900))));
        }
        events.add(recorded(new CaseResolved(id, "r", handover ? "BO" : "KC", opened.plus(Duration.ofHours(hours)))));
        if (score != null) {
            events.add(recorded(new SatisfactionRecorded(id, "s", score, channel, opened.plus(Duration.ofHours(hours)))));
        }
        store.save(calculator.compute(events, NOW));
    }

    private static RecordedEvent recorded(dk.casejourney.journey.api.CaseEvent event) {
        return new RecordedEvent(event, event.occurredAt());
    }

    private void knownSet() {
        // Families: lead times 1..10 hours, the even ones handed over to BO (delay: BO resolves at the end).
        for (int hours = 1; hours <= 10; hours++) {
            resolvedCase("f" + hours, CitizenGroup.FAMILY_WITH_CHILDREN, LocalDate.of(2024, 3, hours), hours,
                         hours <= 3 ? Channel.SELF_SERVICE : Channel.PHONE, hours % 2 == 0, hours <= 4 ? hours : null);
        }
        // Elderly: 3 cases in April.
        for (int hours = 1; hours <= 3; hours++) {
            resolvedCase("e" + hours, CitizenGroup.ELDERLY, LocalDate.of(2024, 4, hours), hours * 2, Channel.IN_PERSON,
                         false, 5);
        }
    }

    private static EvaluationCriteria criteria(List<Dimension> groupBy, Map<Dimension, String> filters) {
        return new EvaluationCriteria(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), filters, groupBy);
    }

    @Test
    void groupsHaveTheirSizesMediansAndNearestRankP90() {
        knownSet();
        EvaluationReport report = queries.evaluate(criteria(List.of(Dimension.CITIZEN_GROUP), Map.of()));

        assertThat(report.groups()).extracting(g -> g.key().get("citizenGroup"))
                                   .containsExactly("ELDERLY", "FAMILY_WITH_CHILDREN");
        EvaluationReport.Group elderly = report.groups().get(0);
        EvaluationReport.Group families = report.groups().get(1);
        assertThat(elderly.cases()).isEqualTo(3);
        assertThat(families.cases()).isEqualTo(10);
        long hour = Duration.ofHours(1).toMillis();
        // 1..10 hours: median at rank ceil(5) = 5 h, p90 at rank ceil(9) = 9 h.
        assertThat(families.leadTimeMs().median()).isEqualTo(5.0 * hour);
        assertThat(families.leadTimeMs().p90()).isEqualTo(9.0 * hour);
        assertThat(families.leadTimeMs().max()).isEqualTo(10.0 * hour);
        assertThat(families.leadTimeMs().mean()).isEqualTo(5.5 * hour);
        // 2, 4, 6 hours: median at rank ceil(1.5) = 2 -> 4 h, p90 at rank ceil(2.7) = 3 -> 6 h.
        assertThat(elderly.leadTimeMs().median()).isEqualTo(4.0 * hour);
        assertThat(elderly.leadTimeMs().p90()).isEqualTo(6.0 * hour);
        assertThat(families.handovers().mean()).isEqualTo(0.5);
        // Queue time on its own, per channel and unit: every contact queued 1 minute, 3 by self-service.
        assertThat(families.queueTimeByChannelMs().get(Channel.SELF_SERVICE))
                .isEqualTo(new dk.casejourney.evaluation.api.Distribution(3, 60_000.0, 60_000.0, 60_000.0, 60_000.0));
        assertThat(families.queueTimeByChannelMs().get(Channel.PHONE).count()).isEqualTo(7);
        assertThat(families.queueTimeByUnitMs()).containsOnlyKeys("KC");
        assertThat(families.firstContactResolutionRate()).isEqualTo(0.5);
        assertThat(elderly.firstContactResolutionRate()).isEqualTo(1.0);
        assertThat(families.digitalFirstShare()).isEqualTo(0.3);
        assertThat(families.channelMix()).containsEntry(Channel.SELF_SERVICE, 0.3).containsEntry(Channel.PHONE, 0.7);
        assertThat(families.queueTimeMs().median()).isEqualTo(60_000.0);
        assertThat(families.satisfaction().count()).isEqualTo(4);
        assertThat(families.satisfaction().mean()).isEqualTo(2.5);
        assertThat(families.satisfaction().distribution()).containsEntry(1, 1L).containsEntry(4, 1L);
        assertThat(families.handoversBetweenUnits()).singleElement().satisfies(pair -> {
            assertThat(pair.count()).isEqualTo(5);
            // BO acts when it resolves: delays 2,4,6,8,10 h minus 15 min; median at rank 3.
            assertThat(pair.medianDelayMs()).isEqualTo(6.0 * hour - 15 * 60_000);
        });
    }

    @Test
    void filtersPeriodsAndTimeGroupingsSelectTheRightCases() {
        knownSet();
        EvaluationReport march = queries.evaluate(new EvaluationCriteria(
                LocalDate.of(2024, 3, 2), LocalDate.of(2024, 3, 4), Map.of(), List.of()));
        assertThat(march.groups()).singleElement().extracting(EvaluationReport.Group::cases).isEqualTo(3L);

        EvaluationReport phone = queries.evaluate(criteria(List.of(Dimension.MONTH),
                                                           Map.of(Dimension.CHANNEL, "PHONE")));
        assertThat(phone.groups()).singleElement().satisfies(group -> {
            assertThat(group.key()).containsEntry("month", "2024-03");
            assertThat(group.cases()).isEqualTo(7);
        });
        EvaluationReport byQuarterAndGroup = queries.evaluate(
                criteria(List.of(Dimension.QUARTER, Dimension.CITIZEN_GROUP), Map.of()));
        assertThat(byQuarterAndGroup.groups()).extracting(EvaluationReport.Group::key).containsExactly(
                Map.of("quarter", "2024-Q1", "citizenGroup", "FAMILY_WITH_CHILDREN"),
                Map.of("quarter", "2024-Q2", "citizenGroup", "ELDERLY"));
    }

    @Test
    void comparisonShowsBothSidesAndTheirDifferenceAndCsvHasOneRowPerGroup() {
        knownSet();
        Comparison comparison = queries.handle(new FindComparisonQuery(criteria(List.of(), Map.of()),
                                                                       LocalDate.of(2024, 4, 1)));
        assertThat(comparison.before().groups().get(0).cases()).isEqualTo(10);
        assertThat(comparison.after().groups().get(0).cases()).isEqualTo(3);
        assertThat(comparison.differences().get(0).afterMinusBefore()).containsEntry("cases", -7.0)
                                                                       .containsEntry("handovers_mean", -0.5);

        EvaluationReport report = queries.evaluate(criteria(List.of(Dimension.CITIZEN_GROUP), Map.of()));
        String[] lines = EvaluationTable.csv(report, List.of("citizenGroup")).split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("citizenGroup,cases,open_cases,resolved_cases,service_steps_count,");
        assertThat(lines[1]).startsWith("ELDERLY,3,0,3,");
    }

    @Test
    void givenKnownCases_whenProcessMapAsked_thenDirectlyFollowsPairsAreCountedWithTheirDurations() {
        knownSet();
        ProcessMap units = queries.handle(new FindProcessMapQuery(criteria(List.of(), Map.of()), ProcessMap.Level.UNIT));
        assertThat(units.cases()).isEqualTo(13);
        assertThat(units.edges()).singleElement().satisfies(edge -> {
            assertThat(edge.from()).isEqualTo("KC");
            assertThat(edge.to()).isEqualTo("BO");
            assertThat(edge.transitions()).isEqualTo(5);
            assertThat(edge.cases()).isEqualTo(5);
            // From the handover 15 min after opening to BO resolving after 2, 4, 6, 8, 10 h: rank 3 is the median,
            // rank ceil(4.5) = 5 the p90.
            assertThat(edge.durationMs().median()).isEqualTo(6 * 3_600_000.0 - 15 * 60_000);
            assertThat(edge.durationMs().mean()).isEqualTo(6 * 3_600_000.0 - 15 * 60_000);
            assertThat(edge.durationMs().p90()).isEqualTo(10 * 3_600_000.0 - 15 * 60_000);
        });
        // An even count: nearest-rank takes the lower middle (hours 2, 4, 6, 8: rank 2), never an average.
        ProcessMap even = queries.handle(new FindProcessMapQuery(new EvaluationCriteria(
                LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 8), Map.of(), List.of()), ProcessMap.Level.UNIT));
        assertThat(even.edges()).singleElement().satisfies(edge -> {
            assertThat(edge.transitions()).isEqualTo(4);
            assertThat(edge.durationMs().median()).isEqualTo(4 * 3_600_000.0 - 15 * 60_000);
        });
        ProcessMap activities = queries.handle(new FindProcessMapQuery(criteria(List.of(), Map.of()),
                                                                       ProcessMap.Level.ACTIVITY));
        assertThat(activities.edges()).filteredOn(e -> e.from().equals("CASE_OPENED"))
                                      .singleElement().satisfies(e -> {
                                          assertThat(e.to()).isEqualTo("CONTACT_APPLICATION");
                                          assertThat(e.transitions()).isEqualTo(13);
                                          assertThat(e.durationMs().median()).isZero();
                                      });
    }

    @Test
    void nearestRankPercentilesPickObservedValues() {
        Values values = new Values();
        for (int v = 11; v >= 1; v--) {
            values.add(v);
        }
        // n = 11: median rank ceil(5.5) = 6, p90 rank ceil(9.9) = 10.
        assertThat(values.distribution().median()).isEqualTo(6.0);
        assertThat(values.distribution().p90()).isEqualTo(10.0);
        Values one = new Values();
        one.add(7);
        assertThat(one.distribution().p90()).isEqualTo(7.0);
        assertThat(new Values().distribution().median()).isNull();
    }

    /** A case of the citizen opened on 2 May 2024 at 09:00 that receives the information and one score. */
    private void citizenCase(String id, String citizen, InformationType[] given, int score, Channel scoredBy) {
        Instant opened = LocalDateTime.of(2024, 5, 2, 9, 0).atZone(CPH).toInstant();
        List<RecordedEvent> events = new ArrayList<>();
        events.add(recorded(new CaseOpened(id, "o", null, citizen, CitizenGroup.ELDERLY, AgeBand.AGE_67_PLUS,
                                           ServiceArea.PASSPORT, "101", Channel.PHONE, "KC", opened)));
        for (int i = 0; i < given.length; i++) {
            events.add(recorded(new InformationProvided(id, "i" + i, given[i], Channel.EMAIL, "KC", null, true,
                                                        opened.plusSeconds(60L * (i + 1)))));
        }
        events.add(recorded(new CaseResolved(id, "r", "KC", opened.plusSeconds(3600))));
        events.add(recorded(new SatisfactionRecorded(id, "s", score, scoredBy, opened.plusSeconds(7200))));
        store.save(calculator.compute(events, NOW));
    }

    @Test
    void givenACitizenWhoGivesTheSameInformationInTwoCases_whenEvaluated_thenItIsRepeatedAcrossTheirCasesButNotWithinEither() {
        // Citizen p-1 gives income in case 1 and again in case 2 (1 repetition across cases, none per case); p-2
        // gives address twice in one case (1 repetition, also per case); p-3 gives nothing.
        citizenCase("c1", "p-1", new InformationType[]{InformationType.INCOME}, 4, Channel.SELF_SERVICE);
        citizenCase("c2", "p-1", new InformationType[]{InformationType.INCOME, InformationType.ADDRESS}, 2,
                    Channel.PHONE);
        citizenCase("c3", "p-2", new InformationType[]{InformationType.ADDRESS, InformationType.ADDRESS}, 5,
                    Channel.SELF_SERVICE);
        citizenCase("c4", "p-3", new InformationType[]{}, 3, Channel.PHONE);

        EvaluationReport.Group group = queries.evaluate(criteria(List.of(), Map.of())).groups().get(0);

        // Per case: only c3 repeats.
        assertThat(group.repeatedInformationRate()).isEqualTo(0.25);
        // Per citizen: p-1 and p-2 repeat once each, p-3 never: 3 citizens, repetitions 1, 1, 0.
        assertThat(group.repeatedInformationAcrossCases()).isEqualTo(new EvaluationReport.CitizenRepetition(
                3, 2 / 3.0, new dk.casejourney.evaluation.api.Distribution(3, 2 / 3.0, 1.0, 1.0, 1.0)));
    }

    @Test
    void givenScoresThroughDifferentChannels_whenEvaluated_thenSatisfactionIsReportedPerChannelWithinTheGroup() {
        citizenCase("c1", "p-1", new InformationType[]{}, 4, Channel.SELF_SERVICE);
        citizenCase("c2", "p-2", new InformationType[]{}, 2, Channel.PHONE);
        citizenCase("c3", "p-3", new InformationType[]{}, 5, Channel.SELF_SERVICE);

        EvaluationReport.Group group = queries.evaluate(criteria(List.of(Dimension.CITIZEN_GROUP), Map.of()))
                                              .groups().get(0);

        assertThat(group.satisfaction().mean()).isEqualTo(11 / 3.0);
        assertThat(group.satisfactionByChannel()).containsOnlyKeys(Channel.SELF_SERVICE, Channel.PHONE);
        assertThat(group.satisfactionByChannel().get(Channel.SELF_SERVICE))
                .isEqualTo(new EvaluationReport.Satisfaction(2, 4.5, Map.of(4, 1L, 5, 1L)));
        assertThat(group.satisfactionByChannel().get(Channel.PHONE))
                .isEqualTo(new EvaluationReport.Satisfaction(1, 2.0, Map.of(2, 1L)));
    }

    @Test
    void givenNoPeriod_whenEvaluated_thenAllCasesAreCovered() {
        knownSet();

        EvaluationReport report = queries.evaluate(new EvaluationCriteria(null, null, Map.of(), List.of()));
        EvaluationReport onlyTo = queries.evaluate(new EvaluationCriteria(null, LocalDate.of(2024, 3, 31), Map.of(),
                                                                          List.of()));

        assertThat(report.groups().get(0).cases()).isEqualTo(13);
        assertThat(onlyTo.groups().get(0).cases()).isEqualTo(10);
    }
}
