package dk.casejourney.journey;

import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.CaseCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps business times in the plausible window, from {@value #EARLIEST_TEXT} to now plus a small tolerance for
 * clocks that differ ({@code ledger.future-tolerance}), on every path: live writes, corrections (their changed
 * times too) and bulk imports, which all pass this interceptor. Times outside it (year 1, year -44, 2099) are
 * typing or mapping errors whose figures would be absurd and whose calendar arithmetic is unbounded. The
 * ledger's clock is read here, outside the case, so the case itself stays free of clocks.
 */
@Component
class BusinessTimeGuard implements MessageHandlerInterceptor<CommandMessage<?>> {

    static final String EARLIEST_TEXT = "1900-01-01T00:00:00Z";
    /** Before the municipal citizen service this ledger records existed; old enough for any historical log. */
    static final Instant EARLIEST = Instant.parse(EARLIEST_TEXT);
    private final Clock clock;
    private final Duration tolerance;

    BusinessTimeGuard(Clock clock, @Value("${ledger.future-tolerance:PT5M}") Duration tolerance) {
        this.clock = clock;
        this.tolerance = tolerance;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        if (unitOfWork.getMessage().getPayload() instanceof CaseCommand command) {
            check(command);
        }
        return chain.proceed();
    }

    void check(CaseCommand command) {
        Instant latest = clock.instant().plus(tolerance);
        command.businessTimes().forEach((field, time) -> {
            if (time.isBefore(EARLIEST)) {
                throw RuleViolation.invalid(field, "must not be before " + EARLIEST_TEXT);
            }
            if (time.isAfter(latest)) {
                throw RuleViolation.invalid(field, "must not be more than " + tolerance.toMinutes()
                        + " minutes in the future");
            }
        });
    }
}
