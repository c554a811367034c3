package dk.casejourney.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.audit.api.Checkpoint;
import dk.casejourney.audit.api.CheckpointVerification;
import dk.casejourney.audit.api.FindCheckpointsQuery;
import dk.casejourney.audit.api.TakeCheckpointCommand;
import dk.casejourney.common.IsoInstants;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signed checkpoints of the ledger's head. At intervals ({@code ledger.audit.checkpoint-every}) and on demand,
 * the heads of every aggregate's chain at a global position are digested in aggregate order and the result is
 * signed with Ed25519. The signatures live in their own table and are exported through the API: an auditor who
 * keeps the exports (and the public key) can tell that the newest events of a case were deleted, or a chain
 * recomputed, even by someone who can write every table, since only the ledger holds the signing key.
 * Scheduled checkpoints stop {@code ledger.audit.checkpoint-settle} before now, so that a write still committing
 * with an earlier position cannot appear below a checkpoint after it was signed.
 */
@Component
class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final String VERSION = "casejourney-heads-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventTable events;
    private final JdbcClient jdbc;
    private final LedgerKeys keys;
    private final Clock clock;
    private final Duration settle;

    Checkpoints(EventTable events, JdbcClient jdbc, LedgerKeys keys, Clock clock,
                @Value("${ledger.audit.checkpoint-settle:PT1M}") Duration settle) {
        this.events = events;
        this.jdbc = jdbc;
        this.keys = keys;
        this.clock = clock;
        this.settle = settle;
    }

    @CommandHandler
    Checkpoint handle(TakeCheckpointCommand command) {
        return take(Duration.ZERO);
    }

    @QueryHandler
    List<Checkpoint> handle(FindCheckpointsQuery query) {
        return jdbc.sql("SELECT * FROM ledger_checkpoint ORDER BY id").query(this::checkpoint).list();
    }

    @Scheduled(initialDelayString = "${ledger.audit.checkpoint-first:PT1M}",
            fixedDelayString = "${ledger.audit.checkpoint-every:PT15M}")
    void scheduled() {
        Checkpoint checkpoint = take(settle);
        if (checkpoint != null) {
            log.info("Signed checkpoint {} up to position {} over {} chains", checkpoint.id(), checkpoint.upToIndex(),
                     checkpoint.aggregates());
        }
    }

    /** Signs the heads up to the newest event recorded {@code settle} ago; null when there is nothing new. */
    Checkpoint take(Duration settle) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant cutoff = now.minus(settle);
        // Read in the order the store recorded events, up to the first one recorded after the cut-off: every
        // aggregate's newest event up to that position is its head there.
        var read = new Object() {
            final Map<String, Head> heads = new TreeMap<>();
            long upTo = -1;
            boolean done;
        };
        events.forEachAfter(-1, event -> {
            if (read.done || IsoInstants.parseOffsetDateTime(event.timestamp()).isAfter(cutoff)) {
                read.done = true;
                return;
            }
            read.heads.put(event.aggregateId(), new Head(event.sequenceNumber(), digestOf(event.metaData())));
            read.upTo = event.globalIndex();
        });
        long upTo = read.upTo;
        Long last = jdbc.sql("SELECT MAX(up_to_index) FROM ledger_checkpoint").query(Long.class).optional().orElse(null);
        if (upTo < 0 || last != null && last >= upTo && !settle.isZero()) {
            return null;
        }
        HeadsDigest heads = new HeadsDigest(upTo);
        // Aggregate id order (String order), as the verification digests them.
        read.heads.forEach((aggregateId, head) -> heads.add(aggregateId, head.sequenceNumber(), head.digest()));
        String digest = heads.result();
        Checkpoint unsigned = new Checkpoint(0, now, upTo, heads.aggregates(), digest, "", keys.publicKey());
        String signature = Base64.getEncoder().encodeToString(keys.sign(bytes(unsigned)));
        jdbc.sql("""
                 INSERT INTO ledger_checkpoint (taken_at, up_to_index, aggregates, heads_digest, signature, public_key)
                 VALUES (?, ?, ?, ?, ?, ?)""")
            .params(now.atOffset(ZoneOffset.UTC), upTo, heads.aggregates(), digest, signature, keys.publicKey())
            .update();
        long id = jdbc.sql("SELECT MAX(id) FROM ledger_checkpoint WHERE up_to_index = ? AND signature = ?")
                      .params(upTo, signature).query(Long.class).single();
        return new Checkpoint(id, now, upTo, heads.aggregates(), digest, signature, keys.publicKey());
    }

    private record Head(long sequenceNumber, String digest) {
    }

    /** The newest checkpoints, newest first. */
    List<Checkpoint> newest(int count) {
        List<Checkpoint> newest = new ArrayList<>(jdbc.sql("SELECT * FROM ledger_checkpoint ORDER BY id DESC LIMIT ?")
                                                      .param(count).query(this::checkpoint).list());
        return newest;
    }

    /** Whether the ledger signed this checkpoint (with its current key). */
    boolean signatureValid(Checkpoint checkpoint) {
        try {
            return checkpoint.publicKey().equals(keys.publicKey())
                    && keys.verify(bytes(checkpoint), Base64.getDecoder().decode(checkpoint.signature()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static CheckpointVerification verification(Checkpoint checkpoint, boolean signatureValid, HeadsDigest now) {
        boolean match = checkpoint.headsDigest().equals(now.result()) && checkpoint.aggregates() == now.aggregates();
        String detail = !signatureValid ? "the signature does not verify with the ledger's public key"
                : match ? "the heads at this position are as signed"
                : "the chains' heads at position " + checkpoint.upToIndex() + " differ from the signed ones ("
                        + now.aggregates() + " chains now, " + checkpoint.aggregates() + " signed): events up to "
                        + "this position were added, altered or removed";
        return new CheckpointVerification(checkpoint.id(), checkpoint.upToIndex(), signatureValid, match,
                                          now.aggregates(), detail);
    }

    private static byte[] bytes(Checkpoint checkpoint) {
        return checkpoint.statement().getBytes(StandardCharsets.UTF_8);
    }

    private Checkpoint checkpoint(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Checkpoint(rs.getLong("id"), rs.getObject("taken_at", OffsetDateTime.class).toInstant(),
                              rs.getLong("up_to_index"), rs.getLong("aggregates"), rs.getString("heads_digest"),
                              rs.getString("signature"), rs.getString("public_key"));
    }

    private static String digestOf(byte[] metaData) {
        try {
            JsonNode node = metaData == null ? null : JSON.readTree(metaData);
            JsonNode digest = node == null ? null : node.get(EventChain.DIGEST);
            return digest == null ? "" : digest.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable event metadata", e);
        }
    }

    /** SHA-256 over the position and every chain's (aggregate id, head sequence number, head digest), in order. */
    static final class HeadsDigest {

        private final MessageDigest sha;
        private long aggregates;

        HeadsDigest(long upToIndex) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
            field(VERSION);
            field(Long.toString(upToIndex));
        }

        void add(String aggregateId, long sequenceNumber, String digest) {
            field(aggregateId);
            field(Long.toString(sequenceNumber));
            field(digest);
            aggregates++;
        }

        long aggregates() {
            return aggregates;
        }

        String result() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }

        private void field(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
    }
}
