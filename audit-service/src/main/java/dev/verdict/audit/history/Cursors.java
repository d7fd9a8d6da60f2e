package dev.verdict.audit.history;

import dev.verdict.servicekit.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque cursors: the last position served (an advertiser's sequence in its history, the arrival order in a search).
 * Positions never change once stored, so pages stay stable while events keep arriving.
 */
public final class Cursors {

    private static final String PREFIX = "seq:";

    private Cursors() {
    }

    public static String after(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + sequence).getBytes(StandardCharsets.UTF_8));
    }

    public static long positionOf(String cursor) {
        if (cursor == null) {
            return -1;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                long sequence = Long.parseLong(decoded.substring(PREFIX.length()));
                if (sequence >= 0) {
                    return sequence;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.badRequest("invalid-cursor", "the cursor is not one this API returned");
    }
}
