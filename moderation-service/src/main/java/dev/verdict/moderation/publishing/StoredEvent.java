package dev.verdict.moderation.publishing;

/** One row of the event store, as stored: nothing deserialized, nothing upcast. */
record StoredEvent(long globalIndex, String aggregateIdentifier, long sequenceNumber, String type,
                   String eventIdentifier, byte[] metaData, byte[] payload, String payloadType, String timeStamp) {
}
