package dk.casejourney.common;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Turns a refused command into a {@link CommandExecutionException} whose details say what was wrong. Only
 * the details survive a distributed command bus (Axon Server), so the web layer reads nothing else.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class CommandFailureTranslator implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        try {
            return chain.proceed();
        } catch (RuleViolation violation) {
            throw new CommandExecutionException(violation.getMessage(), null, violation.details());
        } catch (AggregateNotFoundException notFound) {
            throw new CommandExecutionException("case not found", null,
                                                new RuleViolation.Details(RuleViolation.Kind.NOT_FOUND, "caseId",
                                                                          "no case with this id"));
        }
    }
}
