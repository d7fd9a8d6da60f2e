package dev.verdict.contract.events;

import java.util.Map;
import java.util.Optional;

/**
 * Wire names and schema versions of the published events. A name never changes and a version never changes shape;
 * an evolution is a new optional field or a new version with an upcaster.
 */
public final class EventCatalog {

    /** A published event type: its wire name, the schema version this code writes, and its payload record. */
    public record EventType(String name, int schemaVersion, Class<? extends AdvertiserEvent> payloadClass) {
    }

    private static final Map<Class<?>, EventType> BY_CLASS = Map.of(
            AdvertiserRegistered.class, new EventType("AdvertiserRegistered", 1, AdvertiserRegistered.class),
            AdvertiserBanned.class, new EventType("AdvertiserBanned", 1, AdvertiserBanned.class),
            AdvertiserSuspended.class, new EventType("AdvertiserSuspended", 1, AdvertiserSuspended.class),
            AdvertiserRestricted.class, new EventType("AdvertiserRestricted", 1, AdvertiserRestricted.class),
            AdvertiserWarned.class, new EventType("AdvertiserWarned", 1, AdvertiserWarned.class),
            AppealFiled.class, new EventType("AppealFiled", 1, AppealFiled.class));

    private EventCatalog() {
    }

    public static EventType of(Class<?> payloadClass) {
        EventType type = BY_CLASS.get(payloadClass);
        if (type == null) {
            throw new IllegalArgumentException("not a published event: " + payloadClass.getName());
        }
        return type;
    }

    public static Optional<EventType> byName(String name) {
        return BY_CLASS.values().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static java.util.Collection<EventType> all() {
        return BY_CLASS.values();
    }
}
