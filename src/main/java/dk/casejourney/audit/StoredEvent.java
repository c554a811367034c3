package dk.casejourney.audit;

/** One row of the event table, as stored: the bytes the hash chain was computed over. */
record StoredEvent(long globalIndex, String aggregateId, long sequenceNumber, String type, String eventId,
                   String timestamp, String payloadType, String payloadRevision, byte[] payload, byte[] metaData) {
}
