package dk.casejourney.journey.api;

/** Why a case moved from one unit to another. */
public enum HandoverReason {
    NEEDS_EXPERTISE, AUTHORITY_ELSEWHERE, WRONG_ENTRANCE, CAPACITY, OTHER
}
