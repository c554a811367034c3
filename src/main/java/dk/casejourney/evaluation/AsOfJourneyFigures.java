package dk.casejourney.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.audit.api.AsOfBasis;
import dk.casejourney.audit.api.AsOfFigures;
import dk.casejourney.audit.api.CaseAsOf;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Journey figures for the auditors' point-in-time view: the same calculator as the live figures, run over
 * the events that counted at the moment, with that moment as "now" (an open case's figures run to it).
 */
@Component
class AsOfJourneyFigures implements AsOfFigures {

    private final JourneyCalculator calculator;
    private final ObjectMapper objectMapper;

    AsOfJourneyFigures(JourneyCalculator calculator, ObjectMapper objectMapper) {
        this.calculator = calculator;
        this.objectMapper = objectMapper;
    }

    @Override
    public CaseAsOf.Figures figures(String caseId, List<Recorded> events, Instant asOf, AsOfBasis basis) {
        if (events.isEmpty()) {
            return CaseAsOf.Figures.notComputed("the case had no events at that moment");
        }
        JourneyFigures figures = calculator.compute(
                events.stream().map(recorded -> new RecordedEvent(recorded.event(), recorded.recordedAt())).toList(),
                asOf);
        return new CaseAsOf.Figures(true, objectMapper.valueToTree(JourneyQueries.journey(figures)), null);
    }
}
