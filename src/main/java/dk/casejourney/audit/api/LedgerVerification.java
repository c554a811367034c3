package dk.casejourney.audit.api;

import java.util.List;

/**
 * Every case's chain recomputed: how many, and the first broken cases (at most {@code MAX_REPORTED}); and the
 * newest signed checkpoints recomputed ({@code checkpoints}); valid only when all chains and all of those hold.
 */
public record LedgerVerification(boolean valid, long casesChecked, long eventsChecked, long brokenCases,
                                 List<ChainVerification> broken, long millis,
                                 List<CheckpointVerification> checkpoints) {

    public static final int MAX_REPORTED = 100;

    public LedgerVerification {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    /** Chains only, no checkpoint checked. */
    public LedgerVerification(boolean valid, long casesChecked, long eventsChecked, long brokenCases,
                              List<ChainVerification> broken, long millis) {
        this(valid, casesChecked, eventsChecked, brokenCases, broken, millis, List.of());
    }
}
