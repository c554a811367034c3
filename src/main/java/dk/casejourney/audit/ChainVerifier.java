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
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Recomputes hash chains from the stored events: one case, or the whole ledger, and with the whole ledger the
 * newest signed checkpoints. Reads only through {@link EventTable}, the one seam to the store (JDBC or Axon
 * Server). A ledger verification that did not read the store up to its head is never valid.
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
        long head = events.headPosition();
        javax.crypto.Mac mac = keys.chainMac();
        // The store is read once in the order it recorded events (the only order every store offers), with each
        // case's chain checked as its events come; a case's events come in sequence order unless tampered with.
        Map<String, CaseState> cases = new HashMap<>();
        long[] read = {0};
        long last = events.forEachAfter(-1, event -> {
            CaseState state = cases.computeIfAbsent(event.aggregateId(),
                                                    id -> new CaseState(new ChainCheck(id, mac), newest.size()));
            if (state.check.accept(event)) {
                for (int k = 0; k < newest.size(); k++) {
                    if (event.globalIndex() <= newest.get(k).upToIndex()) {
                        state.headSequence[k] = event.sequenceNumber();
                        state.headDigest[k] = state.check.head();
                    }
                }
            }
            if (++read[0] % 10_000 == 0) {
                progress.accept(read[0]);
            }
        });
        List<Checkpoints.HeadsDigest> heads = newest.stream()
                                                    .map(checkpoint -> new Checkpoints.HeadsDigest(checkpoint.upToIndex()))
                                                    .toList();
        long brokenCases = 0;
        List<ChainVerification> broken = new ArrayList<>();
        // Aggregate id order, as checkpoints digest their heads.
        for (CaseState state : new TreeMap<>(cases).values()) {
            for (int k = 0; k < newest.size(); k++) {
                if (state.headDigest[k] != null) {
                    heads.get(k).add(state.check.caseId(), state.headSequence[k], state.headDigest[k]);
                }
            }
            if (!state.check.valid()) {
                brokenCases++;
                if (broken.size() < LedgerVerification.MAX_REPORTED) {
                    broken.add(state.check.result());
                }
            }
        }
        List<CheckpointVerification> checked = new ArrayList<>();
        for (int k = 0; k < newest.size(); k++) {
            checked.add(Checkpoints.verification(newest.get(k), checkpoints.signatureValid(newest.get(k)), heads.get(k)));
        }
        String problem = head >= 0 && read[0] == 0
                ? "no event was read although the store's newest event is at position " + head
                : last < head ? "the store was read up to position " + last + ", short of its head at " + head
                : null;
        boolean valid = problem == null && brokenCases == 0 && checked.stream().allMatch(CheckpointVerification::valid);
        return new LedgerVerification(valid, cases.size(), read[0], brokenCases, List.copyOf(broken),
                                      (System.nanoTime() - started) / 1_000_000, checked, events.describe(), problem);
    }

    /** A case's chain so far, and per checkpoint the sequence number and digest of its head at that position. */
    private static final class CaseState {
        final ChainCheck check;
        final long[] headSequence;
        final String[] headDigest;

        CaseState(ChainCheck check, int checkpoints) {
            this.check = check;
            this.headSequence = new long[checkpoints];
            this.headDigest = new String[checkpoints];
        }
    }
}
