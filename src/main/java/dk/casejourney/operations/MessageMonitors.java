package dk.casejourney.operations;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;
import org.axonframework.queryhandling.QueryBus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The message meters, named as axon-micrometer's monitors name them ({@code MessageTimerMonitor},
 * {@code MessageCountingMonitor}, {@code EventProcessorLatencyMonitor}) under the ledger's prefixes: commands and
 * queries timed by type with a latency histogram, events appended by type, and per processor the events handled,
 * their handling time and how old the last handled event was.
 * <p>
 * Axon's monitors build and look up every meter in the registry for every message (four timers and five counters
 * per monitored message, each a name, a tag set and a registry lookup): on a live write that was the largest part
 * of handling a command besides the store. Here each tag set's meters are resolved once (per payload type, or
 * once per processor) and kept; recording is then the meters' own work. Names, tags, percentiles, histogram
 * buckets and the statistics' expiry are those the Axon monitors give ({@code OperationsHttpTest} and
 * docs/operations.md list them).
 */
final class MessageMonitors {

    static final String COMMANDS = "ledger.commands";
    static final String QUERIES = "ledger.queries";
    static final String EVENTS = "ledger.events";
    static final String PROCESSOR = "ledger.processor";

    private MessageMonitors() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static MessageMonitor<Message<?>> forComponent(MeterRegistry registry, ProcessorFailures failures,
                                                  Class<?> componentType, String name) {
        if (CommandBus.class.isAssignableFrom(componentType)) {
            return new ByPayloadType(type -> new Handled(registry, COMMANDS, byType(type), true));
        }
        if (QueryBus.class.isAssignableFrom(componentType)) {
            return new ByPayloadType(type -> new Handled(registry, QUERIES, byType(type), true));
        }
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            Tags processor = Tags.of("processor", name);
            return new ForProcessor(new Once(() -> new Handled(registry, PROCESSOR, processor, true)),
                                    new Latency(registry, PROCESSOR, processor),
                                    (MessageMonitor) failures.monitor(name));
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            return new ByPayloadType(type -> new Handled(registry, EVENTS, byType(type), false));
        }
        return NoOpMessageMonitor.instance();
    }

    /** The payload's simple name: commands, queries and events are a fixed, small set of classes. */
    static Tags byType(Class<?> payloadType) {
        return Tags.of("type", payloadType.getSimpleName());
    }

    /**
     * A processor's meters, latency and failures, each told of every event it handles. Axon's MultiMessageMonitor did
     * the same through a stream and a list per event (1% of the read models' threads in an XES import).
     */
    private static final class ForProcessor implements MessageMonitor<Message<?>> {

        private final MessageMonitor<Message<?>> handled;
        private final MessageMonitor<Message<?>> latency;
        private final MessageMonitor<Message<?>> failures;

        ForProcessor(MessageMonitor<Message<?>> handled, MessageMonitor<Message<?>> latency,
                     MessageMonitor<Message<?>> failures) {
            this.handled = handled;
            this.latency = latency;
            this.failures = failures;
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            MonitorCallback timed = handled.onMessageIngested(message);
            MonitorCallback aged = latency.onMessageIngested(message);
            MonitorCallback tracked = failures.onMessageIngested(message);
            return new MonitorCallback() {
                @Override
                public void reportSuccess() {
                    timed.reportSuccess();
                    aged.reportSuccess();
                    tracked.reportSuccess();
                }

                @Override
                public void reportFailure(Throwable cause) {
                    timed.reportFailure(cause);
                    aged.reportFailure(cause);
                    tracked.reportFailure(cause);
                }

                @Override
                public void reportIgnored() {
                    timed.reportIgnored();
                    aged.reportIgnored();
                    tracked.reportIgnored();
                }
            };
        }
    }

    /** One set of meters per payload type, made the first time a message of the type comes. */
    private static final class ByPayloadType implements MessageMonitor<Message<?>> {

        private final Map<Class<?>, Handled> meters = new ConcurrentHashMap<>();
        private final Function<Class<?>, Handled> create;

        ByPayloadType(Function<Class<?>, Handled> create) {
            this.create = create;
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            Handled handled = meters.get(message.getPayloadType());
            if (handled == null) {
                handled = meters.computeIfAbsent(message.getPayloadType(), create);
            }
            return handled.onMessageIngested(message);
        }
    }

    /** One set of meters for all messages (a processor's), made when the first message comes, as Axon's are. */
    private static final class Once implements MessageMonitor<Message<?>> {

        private final Supplier<Handled> create;
        private volatile Handled handled;

        Once(Supplier<Handled> create) {
            this.create = create;
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            Handled meters = handled;
            if (meters == null) {
                synchronized (this) {
                    if (handled == null) {
                        handled = create.get();
                    }
                    meters = handled;
                }
            }
            return meters.onMessageIngested(message);
        }
    }

    /**
     * Counters (ingested; processed = success + failure; success, failure, ignored) and, if timed, timers (all;
     * success, failure, ignored) of one tag set, as {@code MessageCountingMonitor} and {@code MessageTimerMonitor}
     * keep them.
     */
    private static final class Handled implements MessageMonitor<Message<?>> {

        private final Clock clock;
        private final Counter ingested;
        private final Counter processed;
        private final Counter succeeded;
        private final Counter failed;
        private final Counter ignored;
        private final Timer all;
        private final Timer successTime;
        private final Timer failureTime;
        private final Timer ignoredTime;

        Handled(MeterRegistry registry, String prefix, Tags tags, boolean timed) {
            this.clock = registry.config().clock();
            this.ingested = registry.counter(prefix + ".ingestedCounter", tags);
            this.processed = registry.counter(prefix + ".processedCounter", tags);
            this.succeeded = registry.counter(prefix + ".successCounter", tags);
            this.failed = registry.counter(prefix + ".failureCounter", tags);
            this.ignored = registry.counter(prefix + ".ignoredCounter", tags);
            this.all = timed ? timer(registry, prefix + ".allTimer", tags) : null;
            this.successTime = timed ? timer(registry, prefix + ".successTimer", tags) : null;
            this.failureTime = timed ? timer(registry, prefix + ".failureTimer", tags) : null;
            this.ignoredTime = timed ? timer(registry, prefix + ".ignoredTimer", tags) : null;
        }

        /** Axon's timer (client-side percentiles over 10 minutes) with buckets for Prometheus' histogram_quantile. */
        private static Timer timer(MeterRegistry registry, String name, Tags tags) {
            return Timer.builder(name)
                        .distributionStatisticExpiry(Duration.ofMinutes(10))
                        .publishPercentiles(0.5, 0.75, 0.95, 0.98, 0.99, 0.999)
                        .tags(tags)
                        // Buckets from 1 ms to 30 s.
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry);
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            ingested.increment();
            long started = all == null ? 0 : clock.monotonicTime();
            return new MonitorCallback() {
                @Override
                public void reportSuccess() {
                    processed.increment();
                    succeeded.increment();
                    time(successTime);
                }

                @Override
                public void reportFailure(Throwable cause) {
                    processed.increment();
                    failed.increment();
                    time(failureTime);
                }

                @Override
                public void reportIgnored() {
                    ignored.increment();
                    time(ignoredTime);
                }

                private void time(Timer outcome) {
                    if (all != null) {
                        long took = clock.monotonicTime() - started;
                        all.record(took, TimeUnit.NANOSECONDS);
                        outcome.record(took, TimeUnit.NANOSECONDS);
                    }
                }
            };
        }
    }

    /** How old (ms) the last event the processor took was, when it took it: {@code <prefix>.latency}. */
    private static final class Latency implements MessageMonitor<Message<?>> {

        private final MeterRegistry registry;
        private final Gauge.Builder<AtomicLong> gauge;
        private final AtomicLong latency = new AtomicLong();
        private volatile boolean registered;

        Latency(MeterRegistry registry, String prefix, Tags tags) {
            this.registry = registry;
            this.gauge = Gauge.builder(prefix + ".latency", latency, AtomicLong::get).tags(tags).strongReference(true);
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            if (message instanceof EventMessage<?> event) {
                latency.set(registry.config().clock().wallTime() - event.getTimestamp().toEpochMilli());
                if (!registered) {
                    // Registered with the first event, as Axon's: before it there is no latency to show.
                    gauge.register(registry);
                    registered = true;
                }
            }
            return NoOpMessageMonitorCallback.INSTANCE;
        }
    }
}
