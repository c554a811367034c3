package dk.casejourney.common;

import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeLimitsTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicBoolean rolledBack = new AtomicBoolean();

    {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        Thread.interrupted();
    }

    private ResultMessage<?> run(Duration limit, MessageHandler<Message<?>> work) {
        TimeLimits limits = new TimeLimits("Test", limit, limit, scheduler);
        UnitOfWork<Message<?>> unitOfWork = DefaultUnitOfWork.startAndGet(new GenericMessage<>("work"));
        unitOfWork.onRollback(u -> rolledBack.set(true));
        return unitOfWork.executeWithResult(() -> new DefaultInterceptorChain<>(unitOfWork, List.of(limits), work)
                .proceed());
    }

    @Test
    void givenWorkThatBlocksPastItsLimit_whenTheLimitComes_thenItIsInterruptedRolledBackAndTheFlagCleared() {
        long started = System.nanoTime();

        ResultMessage<?> result = run(Duration.ofMillis(100), message -> {
            Thread.sleep(30_000);
            return "never";
        });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(TimeLimits.TimeLimitExceeded.class)
                                            .hasMessageContaining("100 ms")
                                            .hasCauseInstanceOf(InterruptedException.class);
        assertThat(rolledBack).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt left on the thread").isFalse();
    }

    @Test
    void givenWorkThatSwallowsTheInterrupt_whenItReturnsAfterItsLimit_thenItIsRolledBackAnyway() {
        ResultMessage<?> result = run(Duration.ofMillis(50), message -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException swallowed) {
                // work that ignores interrupts
            }
            return "too late";
        });

        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(TimeLimits.TimeLimitExceeded.class);
        assertThat(rolledBack).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void givenWorkThatEndsInTime_whenItsLimitWouldHaveCome_thenNothingIsLeftScheduledAndNothingInterrupts()
            throws Exception {
        ResultMessage<?> result = run(Duration.ofMillis(200), message -> "done");

        assertThat(result.isExceptional()).isFalse();
        assertThat(result.getPayload()).isEqualTo("done");
        assertThat(scheduler.getQueue()).as("the cancelled timer leaves the queue").isEmpty();
        Thread.sleep(400);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(rolledBack).isFalse();
    }

    @Test
    void givenABatchOfNestedUnitsUnderARootWithoutMessage_whenEachRuns_thenOneLimitCoversTheBatch() {
        TimeLimits limits = new TimeLimits("Test", Duration.ofSeconds(10), Duration.ofSeconds(10), scheduler);
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null); // as BulkRecorder starts one
        try {
            for (int n = 0; n < 3; n++) {
                UnitOfWork<Message<?>> command = DefaultUnitOfWork.startAndGet(new GenericMessage<>("command " + n));
                ResultMessage<?> result = command.executeWithResult(() -> new DefaultInterceptorChain<>(
                        command, List.of(limits), message -> message.getPayload()).proceed());
                assertThat(result.isExceptional()).as("%s", result).isFalse();
            }
            assertThat(scheduler.getQueue()).as("one timer for the batch").hasSize(1);
            batch.commit();
        } finally {
            if (batch.isActive()) {
                batch.rollback();
            }
        }
        assertThat(scheduler.getQueue()).isEmpty();
    }

    @Test
    void givenALimitBeforeItsWarningOrNotPositive_whenCreated_thenRefused() {
        assertThatThrownBy(() -> new TimeLimits("Test", Duration.ofSeconds(10), Duration.ofSeconds(5), scheduler))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimeLimits("Test", Duration.ZERO, Duration.ZERO, scheduler))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
