package dk.casejourney.common;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which instances sharing a database count as live. */
class InstancesTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(
            "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", ""));
    private final Instances first = new Instances(jdbc, "first", Duration.ofSeconds(60), 2, null);
    private final Instances second = new Instances(jdbc, "second", Duration.ofSeconds(60), 2, null);

    InstancesTest() {
        Flyway.configure().dataSource(jdbc.getDataSource()).locations("classpath:db/store").load().migrate();
    }

    @AfterEach
    void stop() {
        first.stop();
        second.stop();
    }

    @Test
    void givenAnInstanceStartedAfterAnotherLastReadWhoIsLive_whenTheOtherAsksNow_thenItCountsAsLive() {
        // The first beat reads who is live; the next comes a quarter of the timeout (15 s) later.
        first.start();
        second.start();

        assertThat(first.isLive(second.instanceId())).as("as last read, before the second started").isFalse();
        assertThat(first.isLiveNow(second.instanceId())).isTrue();

        second.stop();
        assertThat(first.isLiveNow(second.instanceId())).as("deregistered").isFalse();
    }
}
