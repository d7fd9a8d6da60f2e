package dev.verdict.moderation.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.events.EventCatalog;
import dev.verdict.contract.events.EventUpcasters;
import java.util.Optional;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.stereotype.Component;

/**
 * Reads events stored at an older schema version as the current one, for the aggregates (the publisher reads the
 * store verbatim and never sees this). The steps are the published contract's own {@link EventUpcasters}, so the
 * event store and every consumer agree on what an old event means. A stored revision of null is version 1.
 */
@Component
class ContractUpcaster extends SingleEventUpcaster {

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return catalogType(representation)
                .filter(type -> version(representation) < type.schemaVersion())
                .isPresent();
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        EventCatalog.EventType type = catalogType(representation).orElseThrow();
        int from = version(representation);
        return representation.upcastPayload(
                new SimpleSerializedType(representation.getType().getName(), Integer.toString(type.schemaVersion())),
                JsonNode.class, payload -> EventUpcasters.upcast(type.name(), from, payload));
    }

    private static Optional<EventCatalog.EventType> catalogType(IntermediateEventRepresentation representation) {
        String className = representation.getType().getName();
        return EventCatalog.all().stream().filter(type -> type.payloadClass().getName().equals(className)).findFirst();
    }

    private static int version(IntermediateEventRepresentation representation) {
        String revision = representation.getType().getRevision();
        return revision == null ? 1 : Integer.parseInt(revision);
    }
}
