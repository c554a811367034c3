package dk.casejourney.audit.api;

/**
 * Hand a processing group's parked events to its handlers again, case by case in order; a case whose first
 * event fails again stays parked with the new cause. Answers {@link DeadLetterRetry}.
 */
public record RetryDeadLettersCommand(String processingGroup) {
}
