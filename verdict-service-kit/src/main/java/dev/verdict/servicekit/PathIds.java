package dev.verdict.servicekit;

import java.util.Locale;
import java.util.UUID;

/** Ids taken from a request path: a malformed one names nothing, so it is a 404 with the caller's code. */
public final class PathIds {

    private PathIds() {
    }

    /** A UUID in its canonical lowercase form, or a 404 problem with {@code notFoundCode}. */
    public static UUID uuid(String value, String notFoundCode) {
        try {
            UUID parsed = UUID.fromString(value);
            if (parsed.toString().equals(value.toLowerCase(Locale.ROOT))) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.notFound(notFoundCode, "no such id (ids are UUIDs)");
    }
}
