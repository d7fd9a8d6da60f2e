package dev.verdict.audit.history;

import dev.verdict.servicekit.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque cursors. A history cursor is the last sequence served: sequences never change once stored, so pages stay
 * stable while events keep arriving (new events only ever appear after the cursor).
 */
final class Cursors {

    private static final String PREFIX = "seq:";

    private Cursors() {
    }

    static String afterSequence(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + sequence).getBytes(StandardCharsets.UTF_8));
    }

    static long sequenceOf(String cursor) {
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
