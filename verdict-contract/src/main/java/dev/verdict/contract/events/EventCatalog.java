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

    /** Event types past version 1, with the version this code writes. */
    private static final Map<Class<?>, Integer> CURRENT_VERSIONS = Map.of(AppealFiled.class, 2);

    private static final Map<Class<?>, EventType> BY_CLASS = java.util.stream.Stream.of(
                    AdvertiserRegistered.class, AdvertiserBanned.class, AdvertiserSuspended.class,
                    AdvertiserRestricted.class, AdvertiserWarned.class, EvidenceAttached.class, DecisionReversed.class,
                    SuspensionExpired.class, AppealFiled.class, AppealWithdrawn.class, AppealUpheld.class,
                    AppealOverturned.class, AppealModified.class, NoteAdded.class)
            .collect(java.util.stream.Collectors.toUnmodifiableMap(type -> type,
                    type -> new EventType(type.getSimpleName(), CURRENT_VERSIONS.getOrDefault(type, 1), type)));

    private EventCatalog() {
    }

    public static EventType of(Class<?> payloadClass) {
        EventType type = BY_CLASS.get(payloadClass);
        if (type == null) {
            throw new IllegalArgumentException("not a published event: " + payloadClass.getName());
        }
        return type;
    }

    /** The schema version this code writes for a payload class, as text (Axon's revision), or null for others. */
    public static String revisionOf(Class<?> payloadClass) {
        EventType type = BY_CLASS.get(payloadClass);
        return type == null ? null : Integer.toString(type.schemaVersion());
    }

    public static Optional<EventType> byName(String name) {
        return BY_CLASS.values().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static java.util.Collection<EventType> all() {
        return BY_CLASS.values();
    }
}
