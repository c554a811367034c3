package dk.casejourney.simulation;

import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generates {@code simulate.cases} cases of the {@link MunicipalityModel} through the real command path
 * (CommandGateway, the case aggregate's rules, the event store, the projections), prints progress and a
 * summary, optionally runs the evaluation benchmark, and exits:
 * <pre>java -jar target/case-journey-ledger-*.jar --simulate.cases=100000 --simulate.seed=42</pre>
 * Each case's commands go in order, one after the other completing; many cases are in flight at once.
 */
@Component
@ConditionalOnProperty("simulate.cases")
@EnableConfigurationProperties(SimulationProperties.class)
class Simulator implements ApplicationRunner {

    private static final Set<Channel> DIGITAL = EnumSet.of(Channel.SELF_SERVICE, Channel.ASSISTED_SELF_SERVICE);
    private static final MetaData RECORDED_BY = MetaData.with(LedgerMetadata.RECORDED_BY, "simulator");

    private final SimulationProperties properties;
    private final CommandGateway commands;
    private final UnitCalendars calendars;
    private final Clock clock;
    private final EvaluationBenchmark benchmark;
    private final ConfigurableApplicationContext context;

    Simulator(SimulationProperties properties, CommandGateway commands, UnitCalendars calendars, Clock clock,
              EvaluationBenchmark benchmark, ConfigurableApplicationContext context) {
        this.properties = properties;
        this.commands = commands;
        this.calendars = calendars;
        this.clock = clock;
        this.benchmark = benchmark;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        int cases = properties.cases();
        MunicipalityModel model = new MunicipalityModel(properties.seed(), properties.start(), properties.end(),
                                                        properties.changeDate(), properties.municipality(),
                                                        Math.max(1, cases * 7 / 10), calendars);
        Instant now = clock.instant();
        System.out.printf("simulate: %d cases, seed %d, opened %s..%s, change date %s, %d threads, %d in flight%n",
                          cases, properties.seed(), properties.start(), properties.end(), properties.changeDate(),
                          properties.threads(), properties.inFlight());
        AtomicLong sent = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long[] before = new long[2];
        long[] after = new long[2];
        Semaphore inFlight = new Semaphore(properties.inFlight());
        ExecutorService workers = Executors.newFixedThreadPool(properties.threads());
        long started = System.nanoTime();
        int step = Math.max(1, cases / 20);
        try {
            for (long n = 0; n < cases; n++) {
                MunicipalityModel.SimulatedCase simulated = model.generate(n, now);
                long[] side = simulated.afterChange() ? after : before;
                side[0]++;
                side[1] += DIGITAL.contains(simulated.firstChannel()) ? 1 : 0;
                inFlight.acquire();
                workers.execute(() -> send(simulated, 0, sent)
                        .whenComplete((ok, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, error.getClass().getSimpleName() + ": "
                                        + error.getMessage());
                            }
                            inFlight.release();
                            long finished = done.incrementAndGet();
                            if (finished % step == 0 || finished == cases) {
                                double seconds = (System.nanoTime() - started) / 1e9;
                                System.out.printf("simulate: %d/%d cases (%d%%), %d commands, %.0f commands/s%n",
                                                  finished, cases, finished * 100 / cases, sent.get(),
                                                  sent.get() / seconds);
                            }
                        }));
            }
            inFlight.acquire(properties.inFlight());
        } finally {
            workers.shutdown();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        double seconds = took.toMillis() / 1000.0;
        System.out.printf("simulate: done in %.1f s: %d cases, %d commands = events recorded (%.0f events/s), "
                                  + "%d cases failed%s%n",
                          seconds, cases, sent.get(), sent.get() / seconds, failed.get(),
                          firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")");
        System.out.printf("simulate: before %s: %d cases, %.1f%% digital first; from it: %d cases, %.1f%% digital first%n",
                          properties.changeDate(), before[0], percent(before), after[0], percent(after));
        if (properties.benchmark()) {
            benchmark.run(sent.get(), seconds);
        }
        if (properties.exit()) {
            System.exit(SpringApplication.exit(context, () -> 0));
        }
    }

    /** Sends the case's commands from index {@code i} on, each after the previous one succeeded. */
    private CompletableFuture<Object> send(MunicipalityModel.SimulatedCase simulated, int i, AtomicLong sent) {
        if (i == simulated.commands().size()) {
            return CompletableFuture.completedFuture(null);
        }
        CaseCommand command = simulated.commands().get(i);
        return commands.send(GenericCommandMessage.asCommandMessage(command).andMetaData(RECORDED_BY))
                       .thenCompose(result -> {
                           sent.incrementAndGet();
                           return send(simulated, i + 1, sent);
                       });
    }

    private static double percent(long[] side) {
        return side[0] == 0 ? 0 : 100.0 * side[1] / side[0];
    }
}
