package dk.casejourney.simulation;

import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindComparisonQuery;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.evaluation.api.FindProcessMapQuery;
import dk.casejourney.evaluation.api.ProcessMap;
import dk.casejourney.evaluation.api.Comparison;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures the full evaluation over what is in the ledger: waits until the journey-figures projection has
 * caught up with the event store, then times each evaluation request (one warm-up, then the best and
 * median of five) and prints milliseconds. A benchmark command, not a test.
 */
@Component
@ConditionalOnProperty("simulate.cases")
class EvaluationBenchmark {

    private static final String PROCESSOR = "journey-figures";
    private final QueryGateway queries;
    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final SimulationProperties properties;

    EvaluationBenchmark(QueryGateway queries, EventProcessingConfiguration processing, EventStore eventStore,
                        SimulationProperties properties) {
        this.queries = queries;
        this.processing = processing;
        this.eventStore = eventStore;
        this.properties = properties;
    }

    void run(long events, double simulationSeconds) throws InterruptedException {
        long waitStarted = System.nanoTime();
        awaitProjection();
        double projectionSeconds = (System.nanoTime() - waitStarted) / 1e9;
        System.out.printf("benchmark: journey-figures caught up %.1f s after the simulation (%.0f events/s overall "
                                  + "from first command to figures ready)%n",
                          projectionSeconds, events / (simulationSeconds + projectionSeconds));
        EvaluationCriteria all = new EvaluationCriteria(properties.start(), properties.end(), Map.of(), List.of());
        EvaluationCriteria byGroup = new EvaluationCriteria(properties.start(), properties.end(), Map.of(),
                                                            List.of(Dimension.CITIZEN_GROUP));
        EvaluationCriteria byAreaAndQuarter = new EvaluationCriteria(
                properties.start(), properties.end(), Map.of(), List.of(Dimension.SERVICE_AREA, Dimension.QUARTER));
        EvaluationCriteria byEverything = new EvaluationCriteria(
                properties.start(), properties.end(), Map.of(),
                List.of(Dimension.CITIZEN_GROUP, Dimension.AGE_BAND, Dimension.SERVICE_AREA, Dimension.CHANNEL,
                        Dimension.UNIT, Dimension.MONTH));
        EvaluationReport report = time("evaluation, all cases, no grouping",
                                       () -> evaluation(all));
        System.out.printf("benchmark: %d cases evaluated%n", report.groups().isEmpty() ? 0 : report.groups().get(0).cases());
        time("evaluation by citizen group", () -> evaluation(byGroup));
        time("evaluation by service area and quarter", () -> evaluation(byAreaAndQuarter));
        time("evaluation by group, age band, area, channel, unit, month", () -> evaluation(byEverything));
        time("before/after comparison by citizen group", () -> queries.query(
                new FindComparisonQuery(byGroup, properties.changeDate()), Comparison.class).join());
        time("process map, units", () -> queries.query(
                new FindProcessMapQuery(all, ProcessMap.Level.UNIT), ProcessMap.class).join());
        time("process map, activities", () -> queries.query(
                new FindProcessMapQuery(all, ProcessMap.Level.ACTIVITY), ProcessMap.class).join());
    }

    private EvaluationReport evaluation(EvaluationCriteria criteria) {
        return queries.query(new FindEvaluationQuery(criteria), EvaluationReport.class).join();
    }

    private static <T> T time(String what, Supplier<T> request) {
        T result = request.get();
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            long started = System.nanoTime();
            result = request.get();
            ms[i] = (System.nanoTime() - started) / 1_000_000;
        }
        java.util.Arrays.sort(ms);
        System.out.printf("benchmark: %-60s best %6d ms, median %6d ms%n", what, ms[0], ms[2]);
        return result;
    }

    private void awaitProjection() throws InterruptedException {
        TrackingToken head = eventStore.createHeadToken();
        long target = head == null ? -1 : head.position().orElse(-1);
        StreamingEventProcessor processor = processing.eventProcessor(PROCESSOR, StreamingEventProcessor.class)
                                                      .orElseThrow();
        long lastPrinted = 0;
        while (true) {
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            long behind = status.isEmpty() ? Long.MAX_VALUE : status.values().stream()
                    .map(EventTrackerStatus::getCurrentPosition)
                    .mapToLong(position -> target - position.orElse(-1))
                    .max().orElse(Long.MAX_VALUE);
            if (!status.isEmpty() && behind <= 0) {
                return;
            }
            if (System.nanoTime() - lastPrinted > 10_000_000_000L) {
                System.out.printf("benchmark: waiting for journey-figures, %s events behind%n",
                                  behind == Long.MAX_VALUE ? "?" : Long.toString(behind));
                lastPrinted = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }
}
