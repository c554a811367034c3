package dk.casejourney.common;

import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * A projection declares the tables of its read model, so that a rebuild can copy them beforehand and prove
 * the rebuilt content equal to what it replaced.
 */
public interface ReadModel {

    String processingGroup();

    List<Table> tables();

    /**
     * The reset context of a rebuild: the group's {@code @ResetHandler} then clears only what it keeps in memory,
     * and the rebuild empties the tables afterwards with {@link #empty()}. A reset without it (the handler's own
     * {@code DELETE}s) leaves the tables as they were if it fails.
     */
    String EMPTIED_BY_REBUILD = "tables emptied by the rebuild";

    static boolean emptiedByRebuild(ResetContext<?> reset) {
        return EMPTIED_BY_REBUILD.equals(reset.getPayload());
    }

    /**
     * A resource of a rebuild's unit of work (a {@code Set<String>} of case ids, read-only): the cases with events
     * after this batch in the same replay, already read ahead. A read model that computes per-case results from
     * all of a case's events may leave such a case to the batch of its last replayed event: written once instead
     * of once per batch its events lie in (a ledger written live spreads a case over many). Absent outside a
     * rebuild's replay, where every case is written as its events come.
     */
    String CASES_CONTINUED_IN_REPLAY = ReadModel.class.getName() + ".casesContinuedInReplay";

    /**
     * A resource of a rebuild's unit of work (a {@code Set<String>} of case ids, read-only): the cases this batch
     * holds events of, whether or not they reach the read model. A case among them that does not reach it and is
     * not {@linkplain #CASES_CONTINUED_IN_REPLAY continued} had its last events parked in the dead-letter queue
     * (behind an earlier one of the case, or unreadable): a case left to this batch is written from the events it
     * got. Known from the batch alone, so an instance taking a replay over needs nothing the previous one held.
     */
    String CASES_IN_REPLAY_BATCH = ReadModel.class.getName() + ".casesInReplayBatch";

    /**
     * Called by a rebuild's replay with each batch's unit of work before its events are handled (a batch may hold
     * no event this read model gets): a read model that leaves cases to later batches registers here what it
     * writes at the batch's commit.
     */
    default void replayBatch(UnitOfWork<?> unitOfWork) {
    }

    /**
     * Empties the tables at once ({@code TRUNCATE}: a row-by-row {@code DELETE} of a large read model took a third
     * of a rebuild on H2), in the caller's transaction. PostgreSQL truncates within it; H2 commits each
     * {@code TRUNCATE} on its own, which is why a rebuild calls this only once the group's tokens are reset: if it
     * fails part-way, the replay meets the rows left and fails loudly on them instead of the read model silently
     * missing what was emptied.
     */
    void empty();

    /**
     * @param name       the table
     * @param keyColumns its primary key, in order
     * @param caseColumn the column naming the case a row belongs to, or null when rows are not per case
     */
    record Table(String name, List<String> keyColumns, String caseColumn) {

        public Table {
            keyColumns = List.copyOf(keyColumns);
        }
    }
}
