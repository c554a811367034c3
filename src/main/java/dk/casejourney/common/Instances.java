package dk.casejourney.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The instances of the ledger that share one database, as one system: each registers itself in
 * {@code ledger_instance} and renews a heartbeat there; an instance whose heartbeat is older than the timeout
 * (the token claim timeout: one figure for "this instance is gone") counts as dead. Ages are measured on the
 * database's clock, so the instances' own clocks need not agree.
 * <p>
 * Segment policy ("fair share"): an instance claims at most ceil(segments / live instances) segments of each
 * processor. When an instance joins, the others' share shrinks and Axon releases their surplus segments; when one
 * dies, the survivors' share grows and they claim its segments once its token claims have expired. A fixed
 * {@code ledger.processors.max-claimed-segments}, if set, caps the share further (and can then leave a dead
 * instance's segments unprocessed: it is off by default).
 */
public final class Instances implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Instances.class);
    private final JdbcTemplate jdbc;
    private final String nodeId;
    private final String instanceId = Identifiers.random();
    private final Duration timeout;
    private final int initialSegmentCount;
    private final Integer maxClaimedSegments;
    private volatile Set<String> live = Set.of();
    private volatile Map<String, Integer> segments = Map.of();
    private volatile ScheduledExecutorService heartbeats;

    /**
     * @param nodeId  the name this instance claims tokens under
     * @param timeout how long an instance may stay silent before it counts as dead
     */
    public Instances(JdbcTemplate jdbc, String nodeId, Duration timeout, int initialSegmentCount,
                     Integer maxClaimedSegments) {
        this.jdbc = jdbc;
        this.nodeId = nodeId;
        this.timeout = timeout;
        this.initialSegmentCount = initialSegmentCount;
        this.maxClaimedSegments = maxClaimedSegments;
    }

    /** The owner name of this instance's token claims. */
    public String nodeId() {
        return nodeId;
    }

    /** Unique per start: a restarted instance with a configured node id is another instance. */
    public String instanceId() {
        return instanceId;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whether the instance has renewed its heartbeat within the timeout (as last read). */
    public boolean isLive(String instanceId) {
        return this.instanceId.equals(instanceId) || live.contains(instanceId);
    }

    /**
     * Whether the instance is live, asking the database when the last beat's read says it is not. {@link #isLive}
     * answers from that read (up to a quarter of the timeout old): an instance started since is not in it, and must
     * not be taken for dead, e.g. by taking over the rebuild it has just begun.
     */
    public boolean isLiveNow(String instanceId) {
        if (isLive(instanceId)) {
            return true;
        }
        List<Boolean> fresh = jdbc.query("SELECT heartbeat_at, CURRENT_TIMESTAMP FROM ledger_instance WHERE instance_id = ?",
                                         (rs, n) -> beatWithinTimeout(rs.getObject(1, OffsetDateTime.class),
                                                                      rs.getObject(2, OffsetDateTime.class)),
                                         instanceId);
        return fresh.contains(true);
    }

    /** The one rule for live: a heartbeat within the timeout of the database's own now. */
    private boolean beatWithinTimeout(OffsetDateTime heartbeat, OffsetDateTime now) {
        return Duration.between(heartbeat, now).compareTo(timeout) <= 0;
    }

    public int liveCount() {
        return Math.max(1, live.size());
    }

    /** The segments of a processor this instance may claim now; at least one. */
    public int fairShare(String processorName) {
        int total = Math.max(1, segments.getOrDefault(processorName, initialSegmentCount));
        int share = (total + liveCount() - 1) / liveCount();
        return Math.max(1, maxClaimedSegments == null ? share : Math.min(share, maxClaimedSegments));
    }

    /** Renews this instance's heartbeat and rereads who is alive and how many segments each processor has. */
    void beat() {
        if (jdbc.update("UPDATE ledger_instance SET heartbeat_at = CURRENT_TIMESTAMP WHERE instance_id = ?",
                        instanceId) == 0) {
            // First beat, or another instance deleted this one's row during a pause longer than the timeout.
            jdbc.update("INSERT INTO ledger_instance (instance_id, node_id, started_at, heartbeat_at)"
                                + " VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", instanceId, nodeId);
        }
        record Row(String id, OffsetDateTime heartbeat, OffsetDateTime now) {
        }
        List<Row> rows = jdbc.query("SELECT instance_id, heartbeat_at, CURRENT_TIMESTAMP AS db_now FROM ledger_instance",
                                    (rs, n) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class),
                                                       rs.getObject(3, OffsetDateTime.class)));
        live = rows.stream().filter(row -> beatWithinTimeout(row.heartbeat(), row.now()))
                   .map(Row::id).collect(Collectors.toUnmodifiableSet());
        // Rows of instances long gone are removed; an instance that was only paused registers again.
        rows.stream().filter(row -> Duration.between(row.heartbeat(), row.now()).compareTo(timeout.multipliedBy(10)) > 0)
            .forEach(row -> jdbc.update("DELETE FROM ledger_instance WHERE instance_id = ? AND heartbeat_at <= ?",
                                        row.id(), row.heartbeat()));
        Map<String, Integer> counts = new HashMap<>();
        jdbc.query("SELECT processor_name, COUNT(*) FROM token_entry GROUP BY processor_name",
                   rs -> {
                       counts.put(rs.getString(1), rs.getInt(2));
                   });
        segments = Map.copyOf(counts);
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            // Others count this instance dead after the timeout; its token claims expire at the same time.
            LOG.warn("Heartbeat of instance {} failed: {}", nodeId, e.toString());
        }
    }

    /** Before the event processors start (the earliest phase), so that their first claims see the others. */
    @Override
    public void start() {
        beat();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "instance-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, timeout.toMillis() / 4);
        executor.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
        heartbeats = executor;
    }

    /** After everything else has stopped: the others take this instance's share at once. */
    @Override
    public void stop() {
        ScheduledExecutorService executor = heartbeats;
        heartbeats = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                jdbc.update("DELETE FROM ledger_instance WHERE instance_id = ?", instanceId);
            } catch (RuntimeException e) {
                LOG.warn("Could not deregister instance {}: {}", nodeId, e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return heartbeats != null;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
