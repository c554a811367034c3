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
 * Refuses business times in the future (beyond a small tolerance for clocks that differ). The ledger's
 * clock is read here, outside the case, so the case itself stays free of clocks.
 */
@Component
class BusinessTimeGuard implements MessageHandlerInterceptor<CommandMessage<?>> {

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
            if (time.isAfter(latest)) {
                throw RuleViolation.invalid(field, "must not be more than " + tolerance.toMinutes()
                        + " minutes in the future");
            }
        });
    }
}
