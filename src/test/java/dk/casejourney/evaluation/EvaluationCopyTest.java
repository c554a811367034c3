package dk.casejourney.evaluation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.ServiceArea;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluation reads an in-memory copy of the journey-figures tables ({@link EvaluationFacts}): whatever another
 * writer (another instance, another segment) commits, the next evaluation counts it exactly as a fresh read of the
 * tables would.
 */
class EvaluationCopyTest {

    private static final Instant NOW = Instant.parse("2024-12-31T12:00:00Z");
    private static final Instant OPENED = Instant.parse("2024-03-04T08:00:00Z");
    private static final EvaluationCriteria ALL = new EvaluationCriteria(null, null, Map.of(), List.of());
    private final JourneyCalculator calculator =
            new JourneyCalculator(UnitCalendars.defaults(), Map.of(), EvaluationDefinitions.load());
    private final String url = "jdbc:h2:mem:" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private DataSource dataSource;
    private EvaluationQueries queries;

    @BeforeEach
    void database() {
        dataSource = new DriverManagerDataSource(url, "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/store", "classpath:projections/schema")
              .load().migrate();
        queries = evaluation();
    }

    @AfterEach
    void close() {
        new JdbcTemplate(dataSource).execute("SHUTDOWN");
    }

    /** A new evaluation reads everything: what the tables hold now. */
    private EvaluationQueries evaluation() {
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        return new EvaluationQueries(jdbc, EvaluationReaders.on(jdbc), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Another instance: its own connections to the same database. */
    private JourneyStore anotherWriter() {
        DataSource own = new DriverManagerDataSource(url, "sa", "");
        return new JourneyStore(JdbcClient.create(own), new JdbcTemplate(own));
    }

    private JourneyFigures figures(String caseId, Channel channel, Integer hoursToResolve) {
        List<RecordedEvent> events = new ArrayList<>();
        events.add(recorded(new CaseOpened(caseId, "o", null, "p-" + caseId, CitizenGroup.ELDERLY, AgeBand.AGE_67_PLUS,
                                           ServiceArea.PENSION, "101", channel, "KC", OPENED)));
        events.add(recorded(new ContactRecorded(caseId, "k", channel, Direction.INBOUND, "KC", null,
                                                ContactPurpose.APPLICATION, OPENED.minusSeconds(60), OPENED,
                                                OPENED.plusSeconds(600), OPENED)));
        if (hoursToResolve != null) {
            events.add(recorded(new CaseResolved(caseId, "r", "KC", OPENED.plus(Duration.ofHours(hoursToResolve)))));
        }
        return calculator.compute(events, NOW);
    }

    private static RecordedEvent recorded(CaseEvent event) {
        return new RecordedEvent(event, event.occurredAt());
    }

    private static EvaluationReport.Group whole(EvaluationReport report) {
        assertThat(report.groups()).hasSize(1);
        return report.groups().get(0);
    }

    @Test
    void givenAnEvaluationAsked_whenAnotherInstanceAddsACaseAndChangesOne_thenTheNextEvaluationEqualsAFreshReadOfTheTables() {
        JourneyStore other = anotherWriter();
        other.save(figures("c1", Channel.PHONE, null));
        other.save(figures("c2", Channel.PHONE, 2));
        assertThat(whole(queries.evaluate(ALL)).openCases()).isEqualTo(1);

        other.save(figures("c3", Channel.EMAIL, 5));
        other.save(List.of(figures("c1", Channel.PHONE, 1)), List.of("c1")); // the open case is resolved

        EvaluationReport.Group now = whole(queries.evaluate(ALL));
        assertThat(now.cases()).isEqualTo(3);
        assertThat(now.openCases()).isZero();
        assertThat(now.channelMix()).containsOnlyKeys(Channel.PHONE, Channel.EMAIL);
        assertThat(queries.evaluate(ALL)).isEqualTo(evaluation().evaluate(ALL));
    }

    @Test
    void givenAnEvaluationAsked_whenTheTablesAreResetAndACaseIsWrittenAgain_thenTheNextEvaluationHoldsOnlyThatCase() {
        JourneyStore other = anotherWriter();
        other.save(figures("c1", Channel.PHONE, 2));
        other.save(figures("c2", Channel.PHONE, 2));
        assertThat(whole(queries.evaluate(ALL)).cases()).isEqualTo(2);

        other.deleteAll(); // a reset before a replay
        assertThat(queries.evaluate(ALL).groups()).isEmpty();
        other.save(figures("c2", Channel.EMAIL, 2));

        EvaluationReport.Group now = whole(queries.evaluate(ALL));
        assertThat(now.cases()).isEqualTo(1);
        assertThat(now.channelMix()).containsOnlyKeys(Channel.EMAIL);
    }

    /**
     * Two writers commit in transactions at once, each holding its transaction open a little after writing (as a
     * projection's batch does while it stores its token), while evaluations run: every case committed before an
     * evaluation started is in it. A version taken in a different order than commits would let a copy step over a
     * case committed late and never read it.
     */
    @Test
    void givenTwoWritersCommittingAtOnce_whenEvaluatedWhileTheyWrite_thenEveryCaseCommittedBeforeAnEvaluationIsInIt()
            throws Exception {
        int perWriter = 150;
        ConcurrentLinkedQueue<String> committed = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            String prefix = "w" + w + "-";
            done.add(writers.submit(() -> {
                DataSource own = new DriverManagerDataSource(url, "sa", "");
                JourneyStore store = new JourneyStore(JdbcClient.create(own), new JdbcTemplate(own));
                TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(own));
                for (int i = 0; i < perWriter; i++) {
                    String caseId = prefix + i;
                    transaction.executeWithoutResult(status -> {
                        store.save(figures(caseId, Channel.PHONE, 1));
                        try {
                            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    committed.add(caseId);
                }
                return null;
            }));
        }
        int evaluations = 0;
        List<String> missed = new ArrayList<>();
        try {
            while (writing.get()) {
                writing.set(done.stream().anyMatch(f -> !f.isDone()));
                int before = committed.size();
                List<EvaluationReport.Group> groups = queries.evaluate(ALL).groups();
                long counted = groups.isEmpty() ? 0 : groups.get(0).cases();
                evaluations++;
                if (counted < before) {
                    missed.add("evaluation " + evaluations + " counted " + counted + " of " + before + " committed");
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(missed).isEmpty();
        assertThat(evaluations).isGreaterThan(2);
        assertThat(whole(queries.evaluate(ALL)).cases()).isEqualTo(2L * perWriter);
        assertThat(queries.evaluate(ALL)).isEqualTo(evaluation().evaluate(ALL));
    }

    @Test
    void givenNoEvaluationYet_whenTheTablesAreEmpty_thenTheEvaluationHasNoGroupsAndAVersionIsKept() {
        assertThat(queries.evaluate(ALL).groups()).isEmpty();
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT version FROM journey_figures_version WHERE id = 1", Long.class)).isZero();
        anotherWriter().save(figures("c1", Channel.PHONE, 1));
        assertThat(whole(queries.evaluate(ALL)).cases()).isEqualTo(1);
    }
}
