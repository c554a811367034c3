package dk.casejourney.operations.api;

import java.time.Instant;

/**
 * A backup the running ledger takes of its own embedded database.
 *
 * @param file         where the zip lies on the ledger's machine (a work file: the HTTP answer streams it and
 *                     deletes it); null until done
 * @param bytes        the zip's size
 * @param millis       how long the backup took
 * @param startedAt    when it started: every write acknowledged before this moment is in it
 * @param headPosition the highest event position stored when it started
 * @param done         whether the zip is complete
 * @param error        why it failed, or null
 */
public record Backup(String backupId, String file, long bytes, long millis, Instant startedAt, long headPosition,
                     boolean done, String error) {
}
