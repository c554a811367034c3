package dk.casejourney.journey.api;

/** Why a resolved case was opened again. */
public enum ReopenReason {
    COMPLAINT, APPEAL, NEW_INFORMATION
}
