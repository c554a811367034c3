package dk.casejourney.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.Period;

/**
 * @param retention  how long a look at personal data stays in the access log
 * @param purgeEvery how often entries older than that are deleted
 */
@ConfigurationProperties("ledger.access-log")
record AccessLogProperties(@DefaultValue("P5Y") Period retention, @DefaultValue("PT1H") Duration purgeEvery) {
}
