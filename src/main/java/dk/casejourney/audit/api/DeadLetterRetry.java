package dk.casejourney.audit.api;

/**
 * @param casesRetried   cases whose parked events were handed to the handlers again
 * @param casesProcessed of those, cases whose parked events were all handled and left the queue
 * @param lettersLeft    events still parked afterwards
 */
public record DeadLetterRetry(String processingGroup, int casesRetried, int casesProcessed, long lettersLeft) {
}
