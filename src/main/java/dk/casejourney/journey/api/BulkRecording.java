package dk.casejourney.journey.api;

import dk.casejourney.common.RuleViolation;

import java.util.List;

/**
 * The fast path for historical imports: records many commands as one all-or-nothing batch, through the same
 * case rules and interceptors as a live write, appending all their events in one transaction.
 */
public interface BulkRecording {

    /**
     * Records the commands in order, all or none.
     *
     * @param recordedBy who or what records them (e.g. {@code import:<file name>}), kept in each event's metadata
     * @param commands   the commands; an import usually sends whole cases, opening command first
     * @return the entry id each command recorded, in command order, once the batch is committed
     * @throws BatchRejected when a command breaks a rule; nothing of the batch is recorded
     */
    List<String> record(String recordedBy, List<? extends CaseCommand> commands);

    /** A command of a batch was refused: names the command's position, case, entry and the broken rule. */
    final class BatchRejected extends RuntimeException {

        private final int index;
        private final String caseId;
        private final String entryId;
        private final RuleViolation.Details violation;

        public BatchRejected(int index, String caseId, String entryId, String commandType,
                             RuleViolation.Details violation, Throwable cause) {
            super("batch refused at command " + index + " (" + commandType + ") on case " + caseId + ", entry "
                          + entryId + ": " + (violation != null ? violation.field() + ": " + violation.reason()
                                                                 : cause.getClass().getSimpleName()), cause);
            this.index = index;
            this.caseId = caseId;
            this.entryId = entryId;
            this.violation = violation;
        }

        /** Position of the refused command in the batch. */
        public int index() {
            return index;
        }

        public String caseId() {
            return caseId;
        }

        public String entryId() {
            return entryId;
        }

        /** The broken rule (field and reason), or {@code null} when the command failed for another reason. */
        public RuleViolation.Details violation() {
            return violation;
        }
    }
}
