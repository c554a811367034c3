package dk.casejourney.audit;

import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.VerifyCaseChainQuery;
import dk.casejourney.audit.api.VerifyLedgerQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Recomputes hash chains from the stored rows: one case, or the whole ledger case by case. */
@Component
class ChainVerifier {

    private final EventTable events;

    ChainVerifier(EventTable events) {
        this.events = events;
    }

    @QueryHandler
    Optional<ChainVerification> handle(VerifyCaseChainQuery query) {
        List<StoredEvent> stored = events.ofCase(query.caseId());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        ChainCheck check = new ChainCheck(query.caseId());
        for (StoredEvent event : stored) {
            if (!check.accept(event)) {
                break;
            }
        }
        return Optional.of(check.result());
    }

    @QueryHandler
    LedgerVerification handle(VerifyLedgerQuery query) {
        return verifyLedger(done -> {
        });
    }

    /** @param progress told the number of events read so far, every 10,000 events */
    LedgerVerification verifyLedger(LongConsumer progress) {
        long started = System.nanoTime();
        var state = new Object() {
            ChainCheck current;
            long cases;
            long events;
            long brokenCases;
            final List<ChainVerification> broken = new ArrayList<>();

            void finish() {
                if (current != null && !current.valid()) {
                    brokenCases++;
                    if (broken.size() < LedgerVerification.MAX_REPORTED) {
                        broken.add(current.result());
                    }
                }
            }
        };
        events.forEachByCase(event -> {
            if (state.current == null || !event.aggregateId().equals(state.current.caseId())) {
                state.finish();
                state.current = new ChainCheck(event.aggregateId());
                state.cases++;
            }
            state.current.accept(event);
            if (++state.events % 10_000 == 0) {
                progress.accept(state.events);
            }
        });
        state.finish();
        return new LedgerVerification(state.brokenCases == 0, state.cases, state.events, state.brokenCases,
                                      List.copyOf(state.broken), (System.nanoTime() - started) / 1_000_000);
    }
}
