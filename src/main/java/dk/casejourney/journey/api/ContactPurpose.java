package dk.casejourney.journey.api;

/** Why a contact happened; STATUS_INQUIRY and REMINDER are failure demand (avoidable contacts). */
public enum ContactPurpose {
    APPLICATION, QUESTION, STATUS_INQUIRY, REMINDER, DOCUMENTATION, COMPLAINT, GUIDANCE
}
