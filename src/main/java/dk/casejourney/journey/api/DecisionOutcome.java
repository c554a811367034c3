package dk.casejourney.journey.api;

/** The outcome of a decision (afgørelse). */
public enum DecisionOutcome {
    GRANTED, PARTLY_GRANTED, REFUSED, ANSWERED, REFERRED, WITHDRAWN
}
