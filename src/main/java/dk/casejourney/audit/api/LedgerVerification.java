package dk.casejourney.audit.api;

import java.util.List;

/**
 * Every case's chain recomputed: how many, and the first broken cases (at most {@code MAX_REPORTED}); and the
 * newest signed checkpoints recomputed ({@code checkpoints}); valid only when all chains and all of those hold,
 * and the verification read the store up to its head.
 *
 * @param store   which event store was read (e.g. Axon Server and its context)
 * @param problem why the verification is not valid apart from broken chains and checkpoints (e.g. it read no
 *                event while the store holds some), or null
 */
public record LedgerVerification(boolean valid, long casesChecked, long eventsChecked, long brokenCases,
                                 List<ChainVerification> broken, long millis,
                                 List<CheckpointVerification> checkpoints, String store, String problem) {

    public static final int MAX_REPORTED = 100;

    public LedgerVerification {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    public LedgerVerification(boolean valid, long casesChecked, long eventsChecked, long brokenCases,
                              List<ChainVerification> broken, long millis, List<CheckpointVerification> checkpoints) {
        this(valid, casesChecked, eventsChecked, brokenCases, broken, millis, checkpoints, null, null);
    }

    /** Chains only, no checkpoint checked. */
    public LedgerVerification(boolean valid, long casesChecked, long eventsChecked, long brokenCases,
                              List<ChainVerification> broken, long millis) {
        this(valid, casesChecked, eventsChecked, brokenCases, broken, millis, List.of());
    }
}
