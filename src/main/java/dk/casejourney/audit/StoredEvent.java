package dk.casejourney.audit;

/**
 * One event as stored: the bytes the hash chain was computed over. {@code globalIndex} is -1 where the store
 * does not say it (Axon Server's per-aggregate read); {@code timestamp} is in Axon's text form.
 */
record StoredEvent(long globalIndex, String aggregateId, long sequenceNumber, String type, String eventId,
                   String timestamp, String payloadType, String payloadRevision, byte[] payload, byte[] metaData) {
}
