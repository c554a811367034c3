package dk.casejourney.evaluation;

import com.zaxxer.hikari.HikariDataSource;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query bus runs the evaluation in a transaction holding a connection of the main pool while the child tables
 * are read on reader threads. Readers must not need that pool: once every connection is held by an evaluation
 * waiting for its readers, nothing could proceed.
 */
class EvaluationConnectionsTest {

    private final String url = "jdbc:h2:mem:" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private HikariDataSource main;
    private EvaluationReaders readers;

    @BeforeEach
    void database() {
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/store", "classpath:projections/schema")
              .load().migrate();
        main = new HikariDataSource();
        main.setJdbcUrl(url);
        main.setUsername("sa");
        main.setMaximumPoolSize(1);
        main.setConnectionTimeout(1000);
        DataSourceProperties properties = new DataSourceProperties();
        properties.setUrl(url);
        properties.setUsername("sa");
        properties.setPassword("");
        readers = EvaluationReaders.pooled(properties);
    }

    @AfterEach
    void close() {
        readers.close();
        main.close();
    }

    @Test
    void givenEveryConnectionOfTheMainPoolHeldByTheEvaluationsTransaction_whenItEvaluates_thenItsReadersStillGetConnections() {
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(main);
        EvaluationQueries queries = new EvaluationQueries(jdbc, readers, Clock.fixed(Instant.parse("2024-12-31T12:00:00Z"),
                                                                                    ZoneOffset.UTC));
        EvaluationCriteria criteria = new EvaluationCriteria(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31),
                                                             Map.of(), List.of());

        List<EvaluationReport> reports = new TransactionTemplate(new DataSourceTransactionManager(main))
                .execute(status -> queries.evaluate(criteria, List.of(List.of(), List.of(Dimension.CHANNEL))));

        assertThat(reports).hasSize(2);
        assertThat(main.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
}
