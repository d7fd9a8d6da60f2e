package dev.verdict.audit.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.EventReader;
import dev.verdict.servicekit.Instants;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A record read off the topic as an envelope: its raw text (kept byte for byte) and the fields the history is
 * queried by. Read tolerantly: unknown members and unknown event types are kept, only what the history cannot do
 * without is required.
 */
record IncomingEvent(UUID eventId, String advertiserId, long sequence, String eventType, int schemaVersion,
                     Instant occurredAt, Instant effectiveAt, String actorId, String text, boolean understood,
                     String policyId, UUID decisionId, UUID replacementDecisionId, String correlationId,
                     String traceId) {

    /** Why a record is not an envelope. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    static IncomingEvent parse(byte[] value) throws Unreadable {
        if (value == null) {
            throw new Unreadable("empty record");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("not UTF-8");
        }
        JsonNode envelope;
        try {
            envelope = EventJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON: " + e.getOriginalMessage());
        }
        if (envelope == null || !envelope.isObject()) {
            throw new Unreadable("not a JSON object");
        }
        UUID eventId = uuid(required(envelope, "eventId"));
        String advertiserId = indexable("advertiserId", required(envelope, "advertiserId"));
        JsonNode sequence = envelope.get("sequence");
        if (sequence == null || !sequence.canConvertToLong() || sequence.asLong() < 0) {
            throw new Unreadable("sequence is missing or not a non-negative integer");
        }
        JsonNode version = envelope.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new Unreadable("schemaVersion is missing or not an integer");
        }
        Instant occurredAt = instant("occurredAt", required(envelope, "occurredAt"));
        String effective = envelope.path("effectiveAt").asText(null);
        Instant effectiveAt = effective == null ? occurredAt : instant("effectiveAt", effective);
        return new IncomingEvent(eventId, advertiserId, sequence.asLong(), required(envelope, "eventType"),
                version.asInt(), occurredAt, effectiveAt,
                indexable("actor.id", envelope.path("actor").path("id").asText(null)), text,
                understood(envelope), indexable("the policy's id", policyId(envelope.path("payload"))),
                optionalUuid(envelope.path("payload").path("decisionId")),
                optionalUuid(envelope.path("payload").path("replacementDecisionId")),
                envelope.path("correlationId").asText(null), envelope.path("traceId").asText(null));
    }

    /**
     * Whether this code can read the payload (a known type, at a version it knows, holding what its type requires);
     * never a reason to drop it.
     */
    private static boolean understood(JsonNode envelope) {
        return EventReader.readable(envelope).isPresent();
    }

    /** The most UTF-8 bytes of a value the history indexes (advertiser, actor, policy): well within a btree entry. */
    static final int MAX_INDEXED_BYTES = 1024;

    /**
     * A value the history indexes, if it fits in an index entry: PostgreSQL cannot index a value of more than about
     * 2,700 bytes, and would refuse such a row, or (in a replay, which builds the indexes after the load) the whole
     * rebuilt table. Moderation-service's own are at most 128 characters.
     */
    private static String indexable(String field, String value) throws Unreadable {
        if (value != null && value.length() > MAX_INDEXED_BYTES / 4
                && value.getBytes(StandardCharsets.UTF_8).length > MAX_INDEXED_BYTES) {
            throw new Unreadable(field + " is longer than " + MAX_INDEXED_BYTES + " bytes, more than the history "
                    + "indexes");
        }
        return value;
    }

    /** The policy a decision event cites (the replacement's, for a modification on appeal). */
    private static String policyId(JsonNode payload) {
        JsonNode terms = payload.has("terms") ? payload.path("terms") : payload.path("replacementTerms");
        return terms.path("policy").path("id").asText(null);
    }

    /** A UUID-valued payload field, or null when absent or not a UUID (the envelope is still stored verbatim). */
    private static UUID optionalUuid(JsonNode node) {
        try {
            return node.isTextual() ? UUID.fromString(node.asText()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static UUID uuid(String value) throws Unreadable {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("eventId is not a UUID");
        }
    }

    /**
     * A time of the envelope, rounded to the microsecond half up as PostgreSQL keeps it (so that live ingestion and a
     * replay's binary COPY store the same value). An event is a record of what happened: any time PostgreSQL can hold
     * is stored as it is, even one the services would no longer accept in a request ({@link Instants#storable}).
     */
    private static Instant instant(String field, String value) throws Unreadable {
        Instant instant;
        try {
            instant = Instant.parse(value).plusNanos(500).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeException e) {
            throw new Unreadable(field + " is not an ISO-8601 UTC timestamp");
        }
        if (!Instants.storable(instant)) {
            throw new Unreadable(field + " is outside the times PostgreSQL can store (4713 BC to 294276 AD)");
        }
        return instant;
    }

    private static String required(JsonNode envelope, String field) throws Unreadable {
        JsonNode node = envelope.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new Unreadable(field + " is missing or not a string");
        }
        return node.asText();
    }
}
