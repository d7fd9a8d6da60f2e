package dev.verdict.moderation.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.EventCatalog;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.MetaData;

/**
 * Builds the published envelope of a stored event. It is a pure function of the event message (identifier,
 * timestamp, aggregate, sequence, payload, metadata), so the envelope hashed when the event was appended and the one
 * published later, after any restart, are the same JSON.
 */
public final class EnvelopeFactory {

    private EnvelopeFactory() {
    }

    /** The envelope with the integrity recorded in the message's metadata (absent before sealing). */
    public static Envelope envelope(DomainEventMessage<?> message) {
        MetaData meta = message.getMetaData();
        Object payload = message.getPayload();
        EventCatalog.EventType type = EventCatalog.of(payload.getClass());
        Instant businessTime = payload instanceof AdvertiserEvent event ? event.businessTime() : null;
        String occurredAt = EventJson.formatTime(message.getTimestamp());
        String actorType = text(meta, Provenance.ACTOR_TYPE);
        String onBehalfOfId = text(meta, Provenance.ON_BEHALF_OF_ID);
        String clientIp = text(meta, Provenance.CLIENT_IP);
        String clientUserAgent = text(meta, Provenance.CLIENT_USER_AGENT);
        String prevHash = text(meta, Provenance.PREV_HASH);
        return new Envelope(
                message.getIdentifier(),
                type.name(),
                type.schemaVersion(),
                message.getAggregateIdentifier(),
                message.getSequenceNumber(),
                occurredAt,
                businessTime == null ? occurredAt : EventJson.formatTime(businessTime),
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
                EventJson.mapper().valueToTree(payload),
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
