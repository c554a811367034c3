package dk.casejourney.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * @param maxDeadLetters readiness turns DOWN when a processing group has more parked events (dead letters)
 *                       than this; parked events are always visible in the metrics
 * @param backupWorkDir  where the running ledger writes a backup before streaming it to the caller; the system's
 *                       temporary directory when unset
 */
@ConfigurationProperties("ledger.operations")
record OperationsProperties(@DefaultValue("100") long maxDeadLetters,
                            Path backupWorkDir) {

    OperationsProperties {
        if (backupWorkDir == null) {
            backupWorkDir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        if (maxDeadLetters < 0) {
            throw new IllegalArgumentException("ledger.operations.max-dead-letters must be 0 or more");
        }
    }
}
