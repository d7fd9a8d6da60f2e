package dev.verdict.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The envelope of every published event, exactly as it travels on topic {@value #TOPIC} (keyed by advertiserId)
 * and as audit-service serves it. Timestamps are ISO-8601 UTC strings with millisecond precision; the envelope holds
 * no floating-point numbers, so any JSON library that sorts keys and writes compact UTF-8 can recompute
 * {@link Integrity#hash()} (see {@link HashChain}).
 *
 * @param sequence     per advertiser, from 0, without gaps
 * @param occurredAt   recorded time
 * @param effectiveAt  business time (a decision's effectiveFrom; otherwise the recorded time)
 * @param onBehalfOf   the party a human acted for (a moderator filing an appeal for an advertiser), or null
 * @param client       where the request came from; null for SYSTEM actors
 */
public record Envelope(
        String eventId,
        String eventType,
        int schemaVersion,
        String advertiserId,
        long sequence,
        String occurredAt,
        String effectiveAt,
        Actor actor,
        Party onBehalfOf,
        String commandId,
        String idempotencyKey,
        String correlationId,
        String causationId,
        Source source,
        Client client,
        String traceId,
        JsonNode payload,
        Integrity integrity) {

    public static final String TOPIC = "moderation.advertiser-events.v1";

    public enum ActorType { HUMAN, SYSTEM }

    /** Who acted: the authenticated principal, never a field of the request body. */
    public record Actor(String id, List<String> roles, ActorType type) {
    }

    /** A party acted for, such as {@code {"id": "kaspersky-lab", "type": "ADVERTISER"}}. */
    public record Party(String id, String type) {
    }

    /** The service instance that recorded the event. */
    public record Source(String service, String version, String instance) {
    }

    public record Client(String ip, String userAgent) {
    }

    /**
     * @param prevHash the hash of the same advertiser's previous event; {@link HashChain#GENESIS} for sequence 0
     * @param hash     lowercase hex SHA-256 of the RFC 8785 form of this envelope without {@code integrity.hash}
     */
    public record Integrity(String prevHash, String hash) {
    }

    public Envelope withIntegrity(Integrity newIntegrity) {
        return new Envelope(eventId, eventType, schemaVersion, advertiserId, sequence, occurredAt, effectiveAt, actor,
                onBehalfOf, commandId, idempotencyKey, correlationId, causationId, source, client, traceId, payload,
                newIntegrity);
    }
}
