package dk.casejourney.audit.api;

/** Which time an as-of moment is measured against. */
public enum AsOfBasis {
    /** What the ledger knew then: events recorded at or before the moment. */
    RECORDED,
    /** What had happened by then, as known today: events that occurred at or before the moment. */
    OCCURRED
}
