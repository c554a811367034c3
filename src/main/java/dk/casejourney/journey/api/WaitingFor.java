package dk.casejourney.journey.api;

/**
 * Who an open case is waiting for: the citizen while an information request is unanswered, otherwise the
 * municipality; nobody once it is resolved.
 */
public enum WaitingFor {
    CITIZEN, MUNICIPALITY, NOBODY
}
