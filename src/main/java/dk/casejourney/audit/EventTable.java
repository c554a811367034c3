package dk.casejourney.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.Consumer;

/**
 * The JDBC event table read raw: verification must see the bytes as stored, not as Axon deserializes and
 * upcasts them. This is the one place in the product that depends on the JDBC storage engine's table.
 */
@Component
class EventTable {

    private static final String COLUMNS = """
            global_index, aggregate_identifier, sequence_number, type, event_identifier, time_stamp, payload_type,
            payload_revision, payload, meta_data""";
    private static final RowMapper<StoredEvent> ROW = (rs, n) -> new StoredEvent(
            rs.getLong("global_index"), rs.getString("aggregate_identifier"), rs.getLong("sequence_number"),
            rs.getString("type"), rs.getString("event_identifier"), rs.getString("time_stamp"),
            rs.getString("payload_type"), rs.getString("payload_revision"), rs.getBytes("payload"),
            rs.getBytes("meta_data"));
    private final JdbcTemplate jdbc;

    EventTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<StoredEvent> ofCase(String caseId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM domain_event_entry WHERE aggregate_identifier = ?"
                                  + " ORDER BY sequence_number", ROW, caseId);
    }

    /** Every event, case by case in sequence order, streamed so that a large ledger fits in memory. */
    void forEachByCase(Consumer<StoredEvent> consumer) {
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
        streaming.setFetchSize(1000);
        streaming.query("SELECT " + COLUMNS + " FROM domain_event_entry ORDER BY aggregate_identifier, sequence_number",
                        rs -> {
                            consumer.accept(ROW.mapRow(rs, 0));
                        });
    }

    /** The newest stored event of an aggregate at or before a global position. */
    record Head(String aggregateId, long sequenceNumber, byte[] metaData) {
    }

    /**
     * Every aggregate's newest event at or before {@code upToIndex}, in aggregate id order (the order
     * {@link #forEachByCase} streams in: both are the database's own ordering, so a checkpoint and its
     * verification see aggregates in the same order).
     */
    void forEachHead(long upToIndex, Consumer<Head> consumer) {
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
        streaming.setFetchSize(1000);
        streaming.query("""
                        SELECT e.aggregate_identifier, e.sequence_number, e.meta_data FROM domain_event_entry e
                        JOIN (SELECT aggregate_identifier, MAX(sequence_number) AS last FROM domain_event_entry
                              WHERE global_index <= ? GROUP BY aggregate_identifier) h
                          ON h.aggregate_identifier = e.aggregate_identifier AND h.last = e.sequence_number
                        ORDER BY e.aggregate_identifier""",
                        rs -> {
                            consumer.accept(new Head(rs.getString(1), rs.getLong(2), rs.getBytes(3)));
                        }, upToIndex);
    }

    /** The highest global position of events recorded at or before a time (as Axon writes time_stamp), or -1. */
    long maxIndexRecordedBy(String timestamp) {
        Long max = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry WHERE time_stamp <= ?",
                                       Long.class, timestamp);
        return max == null ? -1 : max;
    }

    long count() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    /** The cases that have events beyond a position: their read-model rows may have changed since. */
    List<String> casesWithEventsAfter(long globalIndex) {
        return jdbc.queryForList("SELECT DISTINCT aggregate_identifier FROM domain_event_entry WHERE global_index > ?",
                                 String.class, globalIndex);
    }
}
