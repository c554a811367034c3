package dk.casejourney.operations;

import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.LedgerVerification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryMessage;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Results of hash-chain verifications asked through the query bus (the admin endpoint, a case's
 * verification): how many ran and how many found a broken chain, and what the last whole-ledger verification
 * found. A broken chain is what an operator must be woken for.
 */
final class ChainVerificationMetrics implements MessageHandlerInterceptor<QueryMessage<?, ?>> {

    private final MeterRegistry registry;
    private final AtomicLong lastLedgerBrokenCases = new AtomicLong(-1);
    private final AtomicLong lastLedgerEvents = new AtomicLong(-1);
    private final AtomicLong lastLedgerAt = new AtomicLong(0);

    ChainVerificationMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("ledger.chain.last.verification.broken.cases", lastLedgerBrokenCases, AtomicLong::get)
             .description("broken cases found by the last whole-ledger verification; -1 before the first")
             .register(registry);
        Gauge.builder("ledger.chain.last.verification.events", lastLedgerEvents, AtomicLong::get)
             .description("events checked by the last whole-ledger verification; -1 before the first")
             .register(registry);
        Gauge.builder("ledger.chain.last.verification.timestamp", lastLedgerAt, value -> value.get() / 1000.0)
             .description("when the last whole-ledger verification ended (Unix seconds); 0 before the first")
             .baseUnit("seconds")
             .register(registry);
        counter("ledger", "valid");
        counter("ledger", "broken");
        counter("case", "valid");
        counter("case", "broken");
    }

    @Override
    public Object handle(UnitOfWork<? extends QueryMessage<?, ?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        Object result = chain.proceed();
        Object answer = result instanceof Optional<?> optional ? optional.orElse(null) : result;
        if (answer instanceof LedgerVerification ledger) {
            counter("ledger", ledger.valid() ? "valid" : "broken").increment();
            lastLedgerBrokenCases.set(ledger.brokenCases());
            lastLedgerEvents.set(ledger.eventsChecked());
            lastLedgerAt.set(System.currentTimeMillis());
        } else if (answer instanceof ChainVerification chainVerification) {
            counter("case", chainVerification.valid() ? "valid" : "broken").increment();
        }
        return result;
    }

    private Counter counter(String scope, String result) {
        return Counter.builder("ledger.chain.verifications")
                      .description("hash-chain verifications by scope (ledger, case) and result (valid, broken)")
                      .tag("scope", scope).tag("result", result)
                      .register(registry);
    }
}
