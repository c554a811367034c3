package dk.casejourney.audit;

import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.common.ReadModel;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Copies a read model's tables before a rebuild and compares the rebuilt tables with the copies: a content
 * digest per table (columns by name, rows in the order of their own SHA-256) and, when they differ, the first
 * differing keys. Plain SQL that H2 (PostgreSQL mode) and PostgreSQL both run.
 */
@Component
class ReadModelComparison {

    static final String COPY_SUFFIX = "_before_rebuild";
    static final int MAX_DIFFERENCES = 5;
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private final JdbcTemplate jdbc;

    ReadModelComparison(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void copy(ReadModel model) {
        for (ReadModel.Table table : model.tables()) {
            String name = checked(table.name());
            jdbc.execute("DROP TABLE IF EXISTS " + name + COPY_SUFFIX);
            jdbc.execute("CREATE TABLE " + name + COPY_SUFFIX + " AS SELECT * FROM " + name);
        }
    }

    void exclude(String rebuildId, Collection<String> caseIds) {
        jdbc.batchUpdate("INSERT INTO rebuild_excluded_case (rebuild_id, case_id) VALUES (?, ?)",
                         caseIds.stream().map(id -> new Object[]{rebuildId, id}).toList());
    }

    /** Compares the rebuilt tables with their copies, leaving out the cases {@link #exclude} named for the rebuild. */
    Rebuild.Verification compare(ReadModel model, String rebuildId) {
        Long counted = jdbc.queryForObject("SELECT COUNT(*) FROM rebuild_excluded_case WHERE rebuild_id = ?",
                                           Long.class, rebuildId);
        long excludedCases = counted == null ? 0 : counted;
        // Most rebuilds exclude no case; their rows are then read without asking, row by row, whether their case is
        // excluded (on H2 a lookup per row: a quarter of a digest's time).
        boolean excluding = excludedCases > 0;
        List<Rebuild.TableComparison> tables = new ArrayList<>();
        for (ReadModel.Table table : model.tables()) {
            String before = selectAll(table, table.name() + COPY_SUFFIX, excluding);
            String after = selectAll(table, table.name(), excluding);
            boolean asks = asksForRebuild(table, excluding);
            Digest digestBefore = digest(before, asks ? rebuildId : null);
            Digest digestAfter = digest(after, asks ? rebuildId : null);
            boolean equal = digestBefore.rows() == digestAfter.rows() && digestBefore.hex().equals(digestAfter.hex());
            tables.add(new Rebuild.TableComparison(table.name(), digestBefore.rows(), digestAfter.rows(),
                                                   digestBefore.hex(), digestAfter.hex(), equal,
                                                   equal ? List.of() : differences(table, before, after,
                                                                                    asks ? rebuildId : null)));
        }
        return new Rebuild.Verification(tables.stream().allMatch(Rebuild.TableComparison::equal), excludedCases,
                                        tables);
    }

    /** Whether the table's rows are read with the cases the rebuild excludes left out: its query then takes its id. */
    private static boolean asksForRebuild(ReadModel.Table table, boolean excluding) {
        return excluding && table.caseColumn() != null;
    }

    private static String selectAll(ReadModel.Table table, String from, boolean excluding) {
        String sql = "SELECT * FROM " + checked(from) + " t";
        if (asksForRebuild(table, excluding)) {
            sql += " WHERE NOT EXISTS (SELECT 1 FROM rebuild_excluded_case x WHERE x.rebuild_id = ? AND x.case_id = t."
                    + checked(table.caseColumn()) + ")";
        }
        return sql;
    }

    private static String order(ReadModel.Table table) {
        return " ORDER BY " + String.join(", ", table.keyColumns().stream().map(ReadModelComparison::checked).toList());
    }

    private record Digest(long rows, String hex) {
    }

    /**
     * SHA-256 over the SHA-256 of every canonical row, those in ascending order: the same rows give the same
     * digest whatever order the database returns them in, and a different multiset of rows would need a SHA-256
     * collision to give it. So the tables are read as they lie (no ORDER BY: on H2 that walked the key index and
     * fetched each row from elsewhere in the file, and sorted each copy, which has no index, on disk), and the
     * rows' digests, 32 bytes each, are sorted in memory.
     *
     * @param rebuildId the query's parameter, or null if it takes none
     */
    private Digest digest(String sql, String rebuildId) {
        MessageDigest sha = sha256();
        List<RowDigest> rows = new ArrayList<>();
        streamed(sql, statement -> {
            if (rebuildId != null) {
                statement.setString(1, rebuildId);
            }
        }, rs -> {
            // The columns' order and kinds once per table, not per row: a rebuild digests every row twice.
            Columns columns = new Columns(rs.getMetaData());
            StringBuilder row = new StringBuilder(256);
            while (rs.next()) {
                row.setLength(0);
                columns.canonicalRow(rs, row);
                rows.add(RowDigest.of(sha.digest(row.toString().getBytes(StandardCharsets.UTF_8))));
            }
        });
        rows.sort(null);
        ByteBuffer sorted = ByteBuffer.allocate(RowDigest.BYTES);
        for (RowDigest row : rows) {
            sha.update(row.into(sorted.clear()).flip());
        }
        return new Digest(rows.size(), HexFormat.of().formatHex(sha.digest()));
    }

    /** A row's SHA-256 as four longs: compared by their first eight bytes almost always, and small in memory. */
    private record RowDigest(long first, long second, long third, long fourth) implements Comparable<RowDigest> {

        static final int BYTES = 32;

        static RowDigest of(byte[] digest) {
            ByteBuffer bytes = ByteBuffer.wrap(digest);
            return new RowDigest(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
        }

        ByteBuffer into(ByteBuffer bytes) {
            return bytes.putLong(first).putLong(second).putLong(third).putLong(fourth);
        }

        @Override
        public int compareTo(RowDigest other) {
            int order = Long.compareUnsigned(first, other.first);
            if (order == 0) {
                order = Long.compareUnsigned(second, other.second);
            }
            if (order == 0) {
                order = Long.compareUnsigned(third, other.third);
            }
            return order != 0 ? order : Long.compareUnsigned(fourth, other.fourth);
        }
    }

    private interface Rows {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs the query with its rows streamed rather than gathered first: H2 otherwise writes a result of more than
     * its memory's rows (40,000) to a temporary file and reads it back (a third of a digest's time), and
     * PostgreSQL's driver honours the fetch size only inside a transaction (else it holds every row in memory). The
     * transaction only reads and is rolled back; H2's setting is a session's, which a rollback leaves, so it is
     * set back, and set inside the transaction, where it is no write in auto-commit mode for the group commit to
     * make durable.
     */
    private void streamed(String sql, PreparedStatementSetter parameters, Rows rows) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            boolean h2 = connection.getMetaData().getDatabaseProductName().startsWith("H2");
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                lazy(connection, h2, true);
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    parameters.setValues(statement);
                    statement.setFetchSize(1000);
                    try (ResultSet rs = statement.executeQuery()) {
                        rows.read(rs);
                    }
                } finally {
                    lazy(connection, h2, false);
                }
            } finally {
                if (autoCommit) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            }
            return null;
        });
    }

    private static void lazy(Connection connection, boolean h2, boolean lazy) throws SQLException {
        if (!h2) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LAZY_QUERY_EXECUTION " + lazy);
        }
    }

    /**
     * A row as column name and value pairs, by column name, so a copy with columns in another order digests the
     * same: {@code name=length:value;} per column, SQL NULL as {@code \0null}, binary values in hex, a newline
     * after the row.
     */
    private static final class Columns {
        private final String[] names;
        private final int[] indexes;
        private final boolean[] binary;

        Columns(ResultSetMetaData meta) throws SQLException {
            int count = meta.getColumnCount();
            Map<String, Integer> byName = new TreeMap<>();
            for (int i = 1; i <= count; i++) {
                byName.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
            }
            names = byName.keySet().toArray(String[]::new);
            indexes = byName.values().stream().mapToInt(Integer::intValue).toArray();
            binary = new boolean[count];
            for (int i = 0; i < count; i++) {
                int type = meta.getColumnType(indexes[i]);
                binary[i] = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                        || type == Types.BLOB;
            }
        }

        void canonicalRow(ResultSet rs, StringBuilder row) throws SQLException {
            for (int i = 0; i < names.length; i++) {
                String value;
                if (binary[i]) {
                    byte[] bytes = rs.getBytes(indexes[i]);
                    value = bytes == null ? null : HexFormat.of().formatHex(bytes);
                } else {
                    value = rs.getString(indexes[i]);
                }
                if (value == null) {
                    value = "\u0000null";
                }
                row.append(names[i]).append('=').append(value.length()).append(':').append(value).append(';');
            }
            row.append('\n');
        }
    }

    /** @param rebuildId the queries' parameter, or null if they take none */
    private List<Rebuild.Difference> differences(ReadModel.Table table, String before, String after, String rebuildId) {
        Map<String, String> kinds = new LinkedHashMap<>();
        List<String> missing = keysOf(table, before, after, rebuildId);
        List<String> extra = keysOf(table, after, before, rebuildId);
        missing.forEach(key -> kinds.put(key, extra.contains(key) ? "CHANGED" : "MISSING"));
        extra.forEach(key -> kinds.putIfAbsent(key, "EXTRA"));
        return kinds.entrySet().stream().limit(MAX_DIFFERENCES)
                    .map(entry -> new Rebuild.Difference(entry.getKey(), entry.getValue())).toList();
    }

    /** Keys of rows in {@code from} that have no identical row in {@code other}. */
    private List<String> keysOf(ReadModel.Table table, String from, String other, String rebuildId) {
        String keys = String.join(", ", table.keyColumns());
        String sql = "SELECT " + keys + " FROM (" + from + " EXCEPT " + other + ") d" + order(table)
                + " LIMIT " + (MAX_DIFFERENCES * 2);
        Object[] params = rebuildId == null ? new Object[0] : new Object[]{rebuildId, rebuildId};
        return jdbc.query(sql, (rs, n) -> {
            List<String> parts = new ArrayList<>();
            for (String column : table.keyColumns()) {
                parts.add(column + "=" + rs.getString(column));
            }
            return String.join(", ", parts);
        }, params);
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain table or column name: " + name);
        }
        return name;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
