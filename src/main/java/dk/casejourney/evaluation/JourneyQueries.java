package dk.casejourney.evaluation;

import dk.casejourney.evaluation.api.FindJourneyQuery;
import dk.casejourney.evaluation.api.Journey;
import dk.casejourney.evaluation.api.TimeSpan;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** A case's journey, computed afresh from its kept events, so that an open case's figures run to now. */
@Component
class JourneyQueries {

    private final JourneyStore store;
    private final JourneyCalculator calculator;
    private final Clock clock;

    JourneyQueries(JourneyStore store, JourneyCalculator calculator, Clock clock) {
        this.store = store;
        this.calculator = calculator;
        this.clock = clock;
    }

    @QueryHandler
    Optional<Journey> handle(FindJourneyQuery query) {
        List<RecordedEvent> events = store.events(query.caseId());
        return events.isEmpty() ? Optional.empty()
                : Optional.of(journey(calculator.compute(events, clock.instant())));
    }

    static Journey journey(JourneyFigures f) {
        return new Journey(
                f.caseId(), f.status(), f.open(), f.asOf(), f.openedAt(), f.resolvedAt(), f.citizenGroup(),
                f.ageBand(), f.serviceArea(), f.municipality(), f.entryUnit(), TimeSpan.of(f.leadTime()),
                TimeSpan.of(f.leadTimeBusiness()), TimeSpan.of(f.handlingTime()), TimeSpan.of(f.waitingForCitizen()),
                TimeSpan.of(f.waitingForCitizenBusiness()), TimeSpan.of(f.waitingForMunicipality()),
                TimeSpan.of(f.waitingForMunicipalityBusiness()), TimeSpan.of(f.staffTime()),
                f.staffTime().toMillis() / 60_000.0, f.serviceSteps(), f.touchpoints(), f.handovers(), f.returns(),
                f.repeatedInformationTotal(), f.repeatedInformation(), f.firstContactResolution(),
                f.avoidableContacts(), f.firstChannel(), f.digitalFirst(), f.channels(), f.units(),
                f.contacts().stream().map(c -> new Journey.Contact(
                        c.entryId(), c.channel(), c.unit(), c.purpose(), c.avoidable(), c.startedAt(),
                        TimeSpan.of(c.queueTime()), TimeSpan.of(c.duration()))).toList(),
                f.handoverDelays().stream().map(h -> new Journey.Handover(
                        h.entryId(), h.fromUnit(), h.toUnit(), h.at(), h.firstActAt(), h.pending(), h.isReturn(),
                        TimeSpan.of(h.delay()), TimeSpan.of(h.delayBusiness()))).toList(),
                new Journey.Satisfaction(
                        f.satisfaction().isEmpty() ? null
                                : f.satisfaction().stream().mapToInt(JourneyFigures.Satisfaction::score).average()
                                   .orElseThrow(),
                        f.satisfaction().stream().map(s -> new Journey.Score(s.score(), s.channel(), s.at())).toList()),
                f.sourceRef(), f.events(), f.rework(), f.repeatedActivities());
    }
}
