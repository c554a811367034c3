package dk.casejourney.evaluation;

import dk.casejourney.calendar.CalendarProperties;
import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.calendar.UnitKind;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;

/** The business calendars of the configured units (ledger.calendar.*) and the calculator that uses them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CalendarProperties.class)
class EvaluationConfiguration {

    @Bean
    UnitCalendars unitCalendars(CalendarProperties properties) {
        return properties.toUnitCalendars();
    }

    @Bean
    EvaluationReaders evaluationReaders(DataSourceProperties dataSource) {
        return EvaluationReaders.pooled(dataSource);
    }

    @Bean
    EvaluationDefinitions evaluationDefinitions() {
        return EvaluationDefinitions.load();
    }

    @Bean
    JourneyCalculator journeyCalculator(UnitCalendars calendars, CalendarProperties properties,
                                        EvaluationDefinitions definitions) {
        Map<String, UnitKind> kinds = new HashMap<>();
        if (properties.units() != null) {
            properties.units().forEach((unit, settings) -> {
                if (settings != null && settings.kind() != null) {
                    kinds.put(unit, settings.kind());
                }
            });
        }
        return new JourneyCalculator(calendars, kinds, definitions);
    }
}
