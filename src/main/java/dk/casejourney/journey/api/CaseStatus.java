package dk.casejourney.journey.api;

/** Whether a case is open or resolved. */
public enum CaseStatus {
    OPEN, RESOLVED
}
