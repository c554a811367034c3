package dk.casejourney.common;

import java.util.List;

/**
 * A projection declares the tables of its read model, so that a rebuild can copy them beforehand and prove
 * the rebuilt content equal to what it replaced.
 */
public interface ReadModel {

    String processingGroup();

    List<Table> tables();

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
