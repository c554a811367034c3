package dk.casejourney.common;

import org.axonframework.eventhandling.replay.ResetContext;

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
