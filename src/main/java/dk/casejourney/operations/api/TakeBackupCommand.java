package dk.casejourney.operations.api;

/** Take an online backup of the embedded database while the ledger runs. Answers {@link Backup}. */
public record TakeBackupCommand(String backupId) {
}
