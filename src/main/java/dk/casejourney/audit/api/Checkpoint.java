package dk.casejourney.audit.api;

import java.time.Instant;

/**
 * A signed statement of the ledger's head: at global position {@code upToIndex}, {@code aggregates} chains
 * whose heads digest to {@code headsDigest}. {@code signature} is Ed25519 (base64) over {@link #statement()},
 * verifiable with {@code publicKey} (X.509, base64) by anyone, without the ledger.
 */
public record Checkpoint(long id, Instant takenAt, long upToIndex, long aggregates, String headsDigest,
                         String signature, String publicKey) {

    /** The exact text that is signed. */
    public String statement() {
        return "casejourney-checkpoint-1\n" + takenAt + "\n" + upToIndex + "\n" + aggregates + "\n" + headsDigest + "\n";
    }
}
