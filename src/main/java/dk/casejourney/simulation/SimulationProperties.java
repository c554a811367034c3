package dk.casejourney.simulation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.LocalDate;

/**
 * Binds {@code simulate.*}. The simulator runs only when {@code simulate.cases} is given.
 *
 * @param cases        number of cases to generate
 * @param seed         the same seed gives the same cases
 * @param start        first day cases open
 * @param end          last day cases open (events are never later than now)
 * @param changeDate   from this day the digital share rises and handovers fall
 * @param municipality three-digit municipality number of every case
 * @param threads      worker threads sending commands
 * @param inFlight     cases being sent at once
 * @param benchmark    after simulating, wait for the journey figures and time the full evaluation
 * @param exit         stop the application when done
 */
@ConfigurationProperties("simulate")
record SimulationProperties(int cases,
                            @DefaultValue("42") long seed,
                            @DefaultValue("2024-01-01") LocalDate start,
                            @DefaultValue("2025-12-31") LocalDate end,
                            @DefaultValue("2025-01-01") LocalDate changeDate,
                            @DefaultValue("101") String municipality,
                            @DefaultValue("3") int threads,
                            @DefaultValue("64") int inFlight,
                            @DefaultValue("false") boolean benchmark,
                            @DefaultValue("true") boolean exit) {
}
