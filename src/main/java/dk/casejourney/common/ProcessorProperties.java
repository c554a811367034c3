package dk.casejourney.common;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Throughput settings shared by all read-model processors.
 *
 * @param batchSize           events handled in one transaction
 * @param initialSegmentCount segments a processor is split into when its tokens are first created; several
 *                            instances share the segments between them
 */
@ConfigurationProperties("ledger.processors")
record ProcessorProperties(@DefaultValue("100") int batchSize, @DefaultValue("2") int initialSegmentCount) {
}
