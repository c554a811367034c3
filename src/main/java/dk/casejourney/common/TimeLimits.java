package dk.casejourney.common;

import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The time limit of a unit of work (a command, a query, a processor's batch): a warning with the thread's stack
 * once it has run for {@code warnAfter}, an interrupt once it has run for {@code limit}, which rolls it back.
 *
 * <p>This replaces Axon's {@code UnitOfWorkTimeoutInterceptor} (same defaults: 60 s, a warning after 10 s), which
 * records the whole stack of the thread when every unit of work starts, only to shorten the stacks of its warnings:
 * 4% of a command's CPU through the command gateway and 10% of a write through HTTP (async-profiler, 2026-12-01).
 * Here a unit of work costs one scheduled task, removed when the work ends, and a stack is taken only for a warning.
 */
final class TimeLimits implements MessageHandlerInterceptor<Message<?>> {

    private static final Logger log = LoggerFactory.getLogger(TimeLimits.class);
    private static final String RESOURCE = TimeLimits.class.getName();
    private final String component;
    private final Duration warnAfter;
    private final Duration limit;
    private final ScheduledExecutorService scheduler;

    /** Limits on {@code scheduler}: cancelled tasks must leave its queue (at 2,000 commands/s, 60 s is 120,000). */
    TimeLimits(String component, Duration warnAfter, Duration limit, ScheduledExecutorService scheduler) {
        if (limit.isNegative() || limit.isZero() || warnAfter.compareTo(limit) > 0) {
            throw new IllegalArgumentException("A time limit must be positive and not before its warning: "
                                                       + warnAfter + " / " + limit);
        }
        this.component = component;
        this.warnAfter = warnAfter;
        this.limit = limit;
        this.scheduler = scheduler;
    }

    /** Thrown when the unit of work ran out of time, whether or not the work noticed the interrupt. */
    static final class TimeLimitExceeded extends RuntimeException {
        TimeLimitExceeded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain chain) throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        Running running = root.getResource(RESOURCE);
        if (running == null) {
            // The root may carry no message (a bulk batch): name the work by the message that started the limit.
            running = new Running(Thread.currentThread(), unitOfWork.getMessage().getPayloadType().getSimpleName());
            root.resources().put(RESOURCE, running);
            Running started = running;
            root.onCleanup(u -> started.end());
            running.start();
        }
        Object result;
        try {
            result = chain.proceed();
        } catch (Exception e) {
            if (running.interrupted()) {
                throw running.exceeded(e);
            }
            throw e;
        }
        if (running.interrupted()) {
            // The work swallowed the interrupt: it still must not commit after its time.
            throw running.exceeded(null);
        }
        return result;
    }

    /** One unit of work's limit: its timers, and whether they interrupted it. */
    private final class Running {

        private final Thread thread;
        private final String what;
        private final long startedNanos = System.nanoTime();
        /** The warning until it ran, then the interrupt. */
        private ScheduledFuture<?> next;
        private boolean ended;
        private boolean interrupted;

        Running(Thread thread, String what) {
            this.thread = thread;
            this.what = what;
        }

        synchronized void start() {
            next = scheduler.schedule(this::warn, warnAfter.toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void warn() {
            if (!ended) {
                log.warn("{} {} has run for {} ms (interrupted at {} ms); thread {} is at:\n{}", component, what,
                         TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), limit.toMillis(),
                         thread.getName(), Arrays.stream(thread.getStackTrace()).map(frame -> "\tat " + frame)
                                                 .collect(Collectors.joining("\n")));
                next = scheduler.schedule(this::interrupt, limit.minus(warnAfter).toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private synchronized void interrupt() {
            if (!ended) {
                interrupted = true;
                log.error("{} {} ran out of its time limit of {} ms: interrupting thread {}", component, what,
                          limit.toMillis(), thread.getName());
                thread.interrupt();
            }
        }

        synchronized boolean interrupted() {
            return interrupted;
        }

        TimeLimitExceeded exceeded(Throwable cause) {
            return new TimeLimitExceeded(component + " " + what + " ran out of its time limit of " + limit.toMillis()
                                                 + " ms and was rolled back", cause);
        }

        /** Runs on the unit of work's thread, after it committed or rolled back. */
        synchronized void end() {
            ended = true;
            next.cancel(false);
            if (interrupted && Thread.currentThread() == thread) {
                Thread.interrupted(); // must not reach the next work of a pooled thread
            }
        }
    }
}
