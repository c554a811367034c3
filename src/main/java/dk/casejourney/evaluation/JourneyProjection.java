package dk.casejourney.evaluation;

import dk.casejourney.journey.api.CaseEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The journey-figures read model. Each event is kept per case; the case's figures are then recomputed by
 * {@link JourneyCalculator} from all its events and its figure rows replaced. Within one batch a case is
 * recomputed once, just before the batch (rows and token together) commits.
 */
@Component
@ProcessingGroup(JourneyProjection.PROCESSING_GROUP)
class JourneyProjection {

    static final String PROCESSING_GROUP = "journey-figures";
    private static final String DIRTY_CASES = JourneyProjection.class.getName() + ".dirty";

    private final JourneyStore store;
    private final JourneyCalculator calculator;
    private final Clock clock;

    JourneyProjection(JourneyStore store, JourneyCalculator calculator, Clock clock) {
        this.store = store;
        this.calculator = calculator;
        this.clock = clock;
    }

    @EventHandler
    void on(CaseEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant recordedAt) {
        store.append(new RecordedEvent(event, recordedAt), sequenceNumber);
        if (CurrentUnitOfWork.isStarted()) {
            dirtyCases(CurrentUnitOfWork.get().root()).add(event.caseId());
        } else {
            recompute(event.caseId());
        }
    }

    private Set<String> dirtyCases(UnitOfWork<?> root) {
        return root.getOrComputeResource(DIRTY_CASES, key -> {
            Set<String> cases = new LinkedHashSet<>();
            root.onPrepareCommit(unitOfWork -> cases.forEach(this::recompute));
            return cases;
        });
    }

    void recompute(String caseId) {
        store.save(calculator.compute(store.events(caseId), clock.instant()));
    }

    @ResetHandler
    void reset() {
        store.deleteAll();
    }
}
