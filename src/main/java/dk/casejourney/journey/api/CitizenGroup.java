package dk.casejourney.journey.api;

/** The citizen groups the channel-strategy evaluation reports on (borgergruppe). */
public enum CitizenGroup {
    YOUTH, FAMILY_WITH_CHILDREN, SOCIALLY_VULNERABLE, ELDERLY, OTHER
}
