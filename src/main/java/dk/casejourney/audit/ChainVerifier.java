package dk.casejourney.audit;

import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.Checkpoint;
import dk.casejourney.audit.api.CheckpointVerification;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.VerifyCaseChainQuery;
import dk.casejourney.audit.api.VerifyLedgerQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Recomputes hash chains from the stored rows: one case, or the whole ledger case by case, and with the whole
 * ledger the newest signed checkpoints. Reads only through {@link EventTable}, the one seam to the storage.
 */
@Component
class ChainVerifier {

    /** How many of the newest checkpoints a ledger verification recomputes. */
    static final int CHECKPOINTS_VERIFIED = 3;
    private final EventTable events;
    private final LedgerKeys keys;
    private final Checkpoints checkpoints;

    ChainVerifier(EventTable events, LedgerKeys keys, Checkpoints checkpoints) {
        this.events = events;
        this.keys = keys;
        this.checkpoints = checkpoints;
    }

    @QueryHandler
    Optional<ChainVerification> handle(VerifyCaseChainQuery query) {
        List<StoredEvent> stored = events.ofCase(query.caseId());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        ChainCheck check = new ChainCheck(query.caseId(), keys.chainMac());
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
        List<Checkpoint> newest = checkpoints.newest(CHECKPOINTS_VERIFIED);
        List<Checkpoints.HeadsDigest> heads = newest.stream()
                                                    .map(checkpoint -> new Checkpoints.HeadsDigest(checkpoint.upToIndex()))
                                                    .toList();
        javax.crypto.Mac mac = keys.chainMac();
        var state = new Object() {
            ChainCheck current;
            long cases;
            long events;
            long brokenCases;
            final List<ChainVerification> broken = new ArrayList<>();
            /** Per checkpoint: the sequence number and digest of the current case's head at its position. */
            final long[] headSequence = new long[newest.size()];
            final String[] headDigest = new String[newest.size()];

            void finish() {
                for (int k = 0; k < newest.size(); k++) {
                    if (current != null && headDigest[k] != null) {
                        heads.get(k).add(current.caseId(), headSequence[k], headDigest[k]);
                    }
                    headDigest[k] = null;
                }
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
                state.current = new ChainCheck(event.aggregateId(), mac);
                state.cases++;
            }
            if (state.current.accept(event)) {
                for (int k = 0; k < newest.size(); k++) {
                    if (event.globalIndex() <= newest.get(k).upToIndex()) {
                        state.headSequence[k] = event.sequenceNumber();
                        state.headDigest[k] = state.current.head();
                    }
                }
            }
            if (++state.events % 10_000 == 0) {
                progress.accept(state.events);
            }
        });
        state.finish();
        List<CheckpointVerification> checked = new ArrayList<>();
        for (int k = 0; k < newest.size(); k++) {
            checked.add(Checkpoints.verification(newest.get(k), checkpoints.signatureValid(newest.get(k)), heads.get(k)));
        }
        boolean valid = state.brokenCases == 0 && checked.stream().allMatch(CheckpointVerification::valid);
        return new LedgerVerification(valid, state.cases, state.events, state.brokenCases,
                                      List.copyOf(state.broken), (System.nanoTime() - started) / 1_000_000, checked);
    }
}
