package dk.casejourney.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.audit.api.Rebuild;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The rebuilds in the database (table projection_rebuild), so that every instance reads the same state and
 * another instance can take over a rebuild whose instance died. Every write of the instance running a rebuild
 * names that instance: a write that finds another one running it (it was taken over) changes nothing.
 */
@Component
class RebuildStore {

    /** Where a rebuild is; the steps before the replay and the verification hold every instance's processor. */
    enum Step {
        STOPPING(Rebuild.Phase.COPYING, true), COPYING(Rebuild.Phase.COPYING, true),
        RESETTING(Rebuild.Phase.COPYING, true), REPLAYING(Rebuild.Phase.REPLAYING, true),
        VERIFYING(Rebuild.Phase.VERIFYING, true), DONE(Rebuild.Phase.DONE, false), FAILED(Rebuild.Phase.FAILED, false);

        final Rebuild.Phase phase;
        final boolean holds;

        Step(Rebuild.Phase phase, boolean holds) {
            this.phase = phase;
            this.holds = holds;
        }
    }

    /** One rebuild as stored. */
    record Row(String id, String group, Step step, Instant startedAt, Instant finishedAt, String runByInstance,
               String runBy, long copied, long tail, long head, long eventsDone, long eventsTotal,
               double eventsPerSecond, Long secondsLeft, Instant replayStartedAt, Rebuild.Verification verification,
               String error) {

        Rebuild view() {
            return new Rebuild(id, group, step.phase, startedAt, finishedAt, eventsDone, eventsTotal, eventsPerSecond,
                               secondsLeft, verification, error, runBy);
        }
    }

    /** Thrown when another instance has taken the rebuild over: this one stops working on it. */
    static final class TakenOver extends RuntimeException {
        TakenOver(String id) {
            super("rebuild " + id + " is run by another instance now");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = """
            rebuild_id, processing_group, step, started_at, finished_at, run_by_instance, run_by, copied, tail_position,
            head_position, events_done, events_total, events_per_second, seconds_left, replay_started_at, verification,
            error""";
    private final JdbcTemplate jdbc;
    private final RowMapper<Row> mapper = (rs, n) -> new Row(
            rs.getString("rebuild_id"), rs.getString("processing_group"), Step.valueOf(rs.getString("step")),
            instant(rs.getObject("started_at", OffsetDateTime.class)),
            instant(rs.getObject("finished_at", OffsetDateTime.class)), rs.getString("run_by_instance"),
            rs.getString("run_by"), orMinusOne(rs.getObject("copied", Long.class)),
            orMinusOne(rs.getObject("tail_position", Long.class)), orMinusOne(rs.getObject("head_position", Long.class)),
            rs.getLong("events_done"), rs.getLong("events_total"), rs.getDouble("events_per_second"),
            rs.getObject("seconds_left", Long.class), instant(rs.getObject("replay_started_at", OffsetDateTime.class)),
            verification(rs.getString("verification")), rs.getString("error"));

    RebuildStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** False when the group has an unfinished rebuild already. */
    boolean create(String id, String group, Instant startedAt, String instanceId, String nodeId) {
        try {
            jdbc.update("INSERT INTO projection_rebuild (rebuild_id, processing_group, active_group, step, started_at,"
                                + " started_by, run_by_instance, run_by, takeovers, events_done, events_total,"
                                + " events_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)",
                        id, group, group, Step.STOPPING.name(), time(startedAt), nodeId, instanceId, nodeId);
            return true;
        } catch (DuplicateKeyException running) {
            return false;
        }
    }

    Optional<Row> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM projection_rebuild WHERE rebuild_id = ?", mapper, id).stream()
                   .findFirst();
    }

    List<Row> unfinished() {
        return jdbc.query("SELECT " + COLUMNS + " FROM projection_rebuild WHERE active_group IS NOT NULL", mapper);
    }

    /** Makes this instance the one running the rebuild, if the dead one still is (one taker wins). */
    boolean takeOver(String id, String deadInstance, String instanceId, String nodeId) {
        return jdbc.update("UPDATE projection_rebuild SET run_by_instance = ?, run_by = ?, takeovers = takeovers + 1"
                                   + " WHERE rebuild_id = ? AND run_by_instance = ? AND active_group IS NOT NULL",
                           instanceId, nodeId, id, deadInstance) == 1;
    }

    void stopped(String id, String instanceId, long copied) {
        guarded(id, instanceId, "step = 'COPYING', copied = ?", copied);
    }

    void copied(String id, String instanceId, long tail, long head) {
        guarded(id, instanceId, "step = 'RESETTING', tail_position = ?, head_position = ?, events_total = ?", tail,
                head, Math.max(0, head - tail));
    }

    void replaying(String id, String instanceId, Instant replayStartedAt) {
        guarded(id, instanceId, "step = 'REPLAYING', replay_started_at = ?, error = NULL", time(replayStartedAt));
    }

    void progress(String id, String instanceId, long done, double rate, Long secondsLeft, String error) {
        guarded(id, instanceId, "events_done = ?, events_per_second = ?, seconds_left = ?, error = ?", done, rate,
                secondsLeft, error);
    }

    void verifying(String id, String instanceId, long done, double rate) {
        guarded(id, instanceId, "step = 'VERIFYING', events_done = ?, events_per_second = ?, seconds_left = 0", done,
                rate);
    }

    void done(String id, String instanceId, Rebuild.Verification verification, Instant finishedAt) {
        guarded(id, instanceId, "step = 'DONE', active_group = NULL, verification = ?, finished_at = ?, seconds_left = 0,"
                + " error = NULL", json(verification), time(finishedAt));
    }

    void failed(String id, String instanceId, String error, Instant finishedAt) {
        guarded(id, instanceId, "step = 'FAILED', active_group = NULL, error = ?, finished_at = ?, seconds_left = 0",
                error, time(finishedAt));
    }

    /** Exclusions an earlier attempt at the verification wrote (before the instance running it died). */
    void unexclude(String id) {
        jdbc.update("DELETE FROM rebuild_excluded_case WHERE rebuild_id = ?", id);
    }

    private void guarded(String id, String instanceId, String assignments, Object... values) {
        Object[] parameters = new Object[values.length + 2];
        System.arraycopy(values, 0, parameters, 0, values.length);
        parameters[values.length] = id;
        parameters[values.length + 1] = instanceId;
        if (jdbc.update("UPDATE projection_rebuild SET " + assignments + " WHERE rebuild_id = ? AND run_by_instance = ?",
                        parameters) == 0) {
            throw new TakenOver(id);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static long orMinusOne(Long value) {
        return value == null ? -1 : value;
    }

    private static String json(Rebuild.Verification verification) {
        try {
            return JSON.writeValueAsString(verification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a rebuild's verification", e);
        }
    }

    private static Rebuild.Verification verification(String json) {
        try {
            return json == null ? null : JSON.readValue(json, Rebuild.Verification.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a rebuild's verification", e);
        }
    }
}
