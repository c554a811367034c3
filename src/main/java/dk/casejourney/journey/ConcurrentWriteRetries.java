package dk.casejourney.journey;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The command gateway sends a command again, at once, when it failed only because its case was written
 * concurrently ({@link ConcurrencyException}, or {@link AggregateStreamCreationException} for two openings of one
 * case: nothing of it was recorded, and the rollback dropped the kept case, so the next attempt decides on the
 * stored case). That is how a case kept by this instance and meanwhile written
 * by another is caught up ({@link CaseCache}), and how two writes to one case at the same moment both get
 * recorded. Every other failure is answered as it is. After {@value #ATTEMPTS} attempts the conflict is answered
 * (HTTP 409). Retries are counted ({@code ledger.commands.concurrent.retries}).
 * <p>
 * The retry runs in the thread that received the failure: on the local command bus the sender's own, which
 * waits for the answer anyway; on Axon Server's the dispatch is asynchronous.
 */
@Configuration(proxyBeanMethods = false)
class ConcurrentWriteRetries implements RetryScheduler {

    static final int ATTEMPTS = 4;
    private final Counter retries;

    ConcurrentWriteRetries(MeterRegistry registry) {
        this.retries = Counter.builder("ledger.commands.concurrent.retries")
                              .description("Commands sent again because their case was written concurrently")
                              .register(registry);
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(this).build();
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures,
                                 Runnable dispatchTask) {
        boolean concurrent = lastFailure instanceof ConcurrencyException
                || lastFailure instanceof AggregateStreamCreationException;
        if (!concurrent || failures.size() >= ATTEMPTS) {
            return false;
        }
        retries.increment();
        dispatchTask.run();
        return true;
    }
}
