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

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Measures the full evaluation over what is in the ledger: waits until the journey-figures projection has
 * caught up with the event store, then times each evaluation request (the first, cold run, then the best
 * and median of five more) and prints milliseconds. A benchmark command, not a test. With
 * {@code --simulate.cases=0 --simulate.benchmark=true} it measures the ledger already in the data dir.
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
        List<Dimension> none = List.of();
        List<Dimension> byGroup = List.of(Dimension.CITIZEN_GROUP);
        List<Dimension> byAreaAndQuarter = List.of(Dimension.SERVICE_AREA, Dimension.QUARTER);
        List<Dimension> byEverything = List.of(Dimension.CITIZEN_GROUP, Dimension.AGE_BAND, Dimension.SERVICE_AREA,
                                               Dimension.CHANNEL, Dimension.UNIT, Dimension.MONTH);
        EvaluationReport report = time("evaluation, all cases, no grouping", run -> evaluation(criteria(run, none)));
        System.out.printf("benchmark: %d cases evaluated%n", report.groups().isEmpty() ? 0 : report.groups().get(0).cases());
        time("evaluation by citizen group", run -> evaluation(criteria(run, byGroup)));
        time("evaluation by service area and quarter", run -> evaluation(criteria(run, byAreaAndQuarter)));
        time("evaluation by group, age band, area, channel, unit, month", run -> evaluation(criteria(run, byEverything)));
        time("before/after comparison by citizen group", run -> queries.query(
                new FindComparisonQuery(criteria(run, byGroup), properties.changeDate()), Comparison.class).join());
        time("process map, units", run -> queries.query(
                new FindProcessMapQuery(criteria(run, none), ProcessMap.Level.UNIT), ProcessMap.class).join());
        time("process map, activities", run -> queries.query(
                new FindProcessMapQuery(criteria(run, none), ProcessMap.Level.ACTIVITY), ProcessMap.class).join());
    }

    /**
     * The whole simulated period, starting one more day earlier on each run: the same cases, but parameters
     * the database has not seen, so that no run is answered from H2's cache of earlier results.
     */
    private EvaluationCriteria criteria(int run, List<Dimension> groupBy) {
        return new EvaluationCriteria(properties.start().minusDays(run), properties.end(), Map.of(), groupBy);
    }

    private EvaluationReport evaluation(EvaluationCriteria criteria) {
        return queries.query(new FindEvaluationQuery(criteria), EvaluationReport.class).join();
    }

    /** The first (cold) run, then the best and median of five more. */
    private static <T> T time(String what, IntFunction<T> request) {
        long started = System.nanoTime();
        T result = request.apply(0);
        long first = (System.nanoTime() - started) / 1_000_000;
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            started = System.nanoTime();
            result = request.apply(i + 1);
            ms[i] = (System.nanoTime() - started) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf("benchmark: %-58s first %6d ms, best %6d ms, median %6d ms%n", what, first, ms[0], ms[2]);
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
