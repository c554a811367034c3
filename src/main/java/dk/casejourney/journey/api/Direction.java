package dk.casejourney.journey.api;

/** Who started a contact. */
public enum Direction {
    INBOUND, OUTBOUND
}
