package dev.verdict.moderation.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.EventCatalog;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.MetaData;

/**
 * Builds the published envelope of an event. When an event is appended, from the live payload: the envelope that is
 * hashed, and the metadata that pins what the payload does not say (its wire type, schema version, business time).
 * When it is published, from that metadata and the payload exactly as stored, never re-serialized: so an event is
 * published, after any restart or upcaster, as the very JSON that was hashed.
 */
public final class EnvelopeFactory {

    private EnvelopeFactory() {
    }

    /** The envelope of a live event being appended (without integrity yet). */
    public static Envelope sealable(DomainEventMessage<?> message) {
        Object payload = message.getPayload();
        EventCatalog.EventType type = EventCatalog.of(payload.getClass());
        Instant businessTime = payload instanceof AdvertiserEvent event ? event.businessTime() : null;
        String occurredAt = EventJson.formatTime(message.getTimestamp());
        return envelope(message, type.name(), type.schemaVersion(),
                businessTime == null ? occurredAt : EventJson.formatTime(businessTime),
                EventJson.mapper().valueToTree(payload));
    }

    /** What the seal pins in the event's metadata besides its integrity. */
    public static Map<String, Object> pinned(Envelope sealed) {
        return Map.of(Provenance.EVENT_TYPE, sealed.eventType(), Provenance.SCHEMA_VERSION, sealed.schemaVersion(),
                Provenance.EFFECTIVE_AT, sealed.effectiveAt(), Provenance.PREV_HASH, sealed.integrity().prevHash(),
                Provenance.HASH, sealed.integrity().hash());
    }

    /** The envelope to publish: the sealed metadata and the payload as stored. */
    public static Envelope published(DomainEventMessage<?> message, JsonNode storedPayload) {
        MetaData meta = message.getMetaData();
        Object type = meta.get(Provenance.EVENT_TYPE);
        Object version = meta.get(Provenance.SCHEMA_VERSION);
        Object effectiveAt = meta.get(Provenance.EFFECTIVE_AT);
        if (type == null || version == null || effectiveAt == null || meta.get(Provenance.HASH) == null) {
            throw new IllegalStateException("event " + message.getIdentifier() + " was stored without its seal");
        }
        return envelope(message, type.toString(), ((Number) version).intValue(), effectiveAt.toString(),
                storedPayload);
    }

    private static Envelope envelope(DomainEventMessage<?> message, String eventType, int schemaVersion,
                                     String effectiveAt, JsonNode payload) {
        MetaData meta = message.getMetaData();
        String actorType = text(meta, Provenance.ACTOR_TYPE);
        String onBehalfOfId = text(meta, Provenance.ON_BEHALF_OF_ID);
        String clientIp = text(meta, Provenance.CLIENT_IP);
        String clientUserAgent = text(meta, Provenance.CLIENT_USER_AGENT);
        String prevHash = text(meta, Provenance.PREV_HASH);
        return new Envelope(
                message.getIdentifier(),
                eventType,
                schemaVersion,
                message.getAggregateIdentifier(),
                message.getSequenceNumber(),
                EventJson.formatTime(message.getTimestamp()),
                effectiveAt,
                new Envelope.Actor(text(meta, Provenance.ACTOR_ID), roles(meta),
                        actorType == null ? null : Envelope.ActorType.valueOf(actorType)),
                onBehalfOfId == null ? null : new Envelope.Party(onBehalfOfId, text(meta, Provenance.ON_BEHALF_OF_TYPE)),
                text(meta, Provenance.COMMAND_ID),
                text(meta, Provenance.IDEMPOTENCY_KEY),
                text(meta, Provenance.CORRELATION_ID),
                text(meta, Provenance.CAUSATION_ID),
                new Envelope.Source(text(meta, Provenance.SOURCE_SERVICE), text(meta, Provenance.SOURCE_VERSION),
                        text(meta, Provenance.SOURCE_INSTANCE)),
                clientIp == null && clientUserAgent == null ? null : new Envelope.Client(clientIp, clientUserAgent),
                text(meta, Provenance.TRACE_ID),
                payload,
                prevHash == null ? null : new Envelope.Integrity(prevHash, text(meta, Provenance.HASH)));
    }

    /** The envelope as JSON, for hashing. */
    public static JsonNode tree(Envelope envelope) {
        return EventJson.mapper().valueToTree(envelope);
    }

    private static String text(MetaData meta, String key) {
        Object value = meta.get(key);
        return value == null ? null : value.toString();
    }

    private static List<String> roles(MetaData meta) {
        Object value = meta.get(Provenance.ACTOR_ROLES);
        if (value instanceof Collection<?> roles) {
            return roles.stream().map(Object::toString).sorted().toList();
        }
        return List.of();
    }
}
