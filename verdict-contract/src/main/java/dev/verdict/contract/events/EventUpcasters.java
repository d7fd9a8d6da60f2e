package dev.verdict.contract.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a payload of an older schema version reads as the current one. Published events are never rewritten: a
 * version 1 event stays version 1 on the topic and in exports (its hash covers it); readers upcast for themselves,
 * the event store's own upcaster and audit-service alike, with these steps.
 */
public final class EventUpcasters {

    private EventUpcasters() {
    }

    /**
     * Brings {@code payload} of {@code eventType} from {@code version} to the current version, one step at a time.
     * Returns a new tree; the argument is not modified.
     */
    public static ObjectNode upcast(String eventType, int version, JsonNode payload) {
        ObjectNode current = payload.deepCopy();
        int at = version;
        if (eventType.equals("AppealFiled") && at == 1) {
            current.set("evidence", current.remove("attachments"));
            at = 2;
        }
        return current;
    }
}
