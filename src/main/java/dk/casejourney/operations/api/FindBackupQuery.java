package dk.casejourney.operations.api;

/** A backup this ledger instance took or is taking. Answers {@code Optional<Backup>}. */
public record FindBackupQuery(String backupId) {
}
