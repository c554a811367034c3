package dk.casejourney.audit.api;

/** Sign a checkpoint of the ledger's head now (an operator's or auditor's request); answers the Checkpoint. */
public record TakeCheckpointCommand() {
}
