package dev.verdict.contract.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.EventJson;
import java.util.Optional;

/**
 * Reads any published envelope's payload, of any version this code knows, as today's record. An event type this
 * code does not know (a newer producer) reads as empty: keep the envelope as it is, and report it.
 */
public final class EventReader {

    private EventReader() {
    }

    public static Optional<AdvertiserEvent> payloadOf(JsonNode envelope) throws JsonProcessingException {
        var type = EventCatalog.byName(envelope.path("eventType").asText(""));
        int version = envelope.path("schemaVersion").asInt(0);
        if (type.isEmpty() || version < 1 || version > type.get().schemaVersion()) {
            return Optional.empty();
        }
        JsonNode payload = EventUpcasters.upcast(type.get().name(), version, envelope.path("payload"));
        return Optional.of(EventJson.mapper().treeToValue(payload, type.get().payloadClass()));
    }

    /**
     * The payload, or empty when this contract cannot read it: an unknown type or version, or a payload that does
     * not hold what its type requires. Never throws: for readers that must keep going past a malformed event.
     */
    public static Optional<AdvertiserEvent> readable(JsonNode envelope) {
        try {
            return payloadOf(envelope);
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
