package dk.casejourney.audit.api;

import java.util.List;

/** Every case's chain recomputed: how many, and the first broken cases (at most {@code MAX_REPORTED}). */
public record LedgerVerification(boolean valid, long casesChecked, long eventsChecked, long brokenCases,
                                 List<ChainVerification> broken, long millis) {

    public static final int MAX_REPORTED = 100;
}
