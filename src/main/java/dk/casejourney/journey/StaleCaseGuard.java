package dk.casejourney.journey;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * A command refused by a case taken from the cache unchecked ({@link CaseCache}) is answered only if the store
 * holds no later version of that case. An accepted command needs no such check: its event's sequence number would
 * collide in the store. A refusal records nothing, so it is checked here, one index lookup, and only on refusals:
 * if another instance changed the case meanwhile, the command fails as a concurrent write (the rollback drops the
 * kept case) and the gateway sends it again on the stored case ({@link ConcurrentWriteRetries}).
 */
@Component
class StaleCaseGuard implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final CaseCache.CheckedCache<?> cache;

    StaleCaseGuard(@Qualifier(CaseCache.REPOSITORY) Repository<CaseAggregate> repository) {
        this.cache = repository instanceof CaseCache.CheckedCache<?> checked ? checked : null;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        try {
            return chain.proceed();
        } catch (Exception refused) {
            List<String> stale = cache == null ? List.of() : cache.staleUncheckedCases(unitOfWork);
            if (!stale.isEmpty()) {
                ConcurrencyException concurrent = new ConcurrencyException(
                        "case " + String.join(", ", stale) + " changed in the store since this instance kept it");
                concurrent.addSuppressed(refused);
                throw concurrent;
            }
            throw refused;
        }
    }
}
