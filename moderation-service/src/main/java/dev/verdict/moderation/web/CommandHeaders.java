package dev.verdict.moderation.web;

import dev.verdict.servicekit.ApiException;
import java.util.regex.Pattern;

/** Parses the optional headers every command accepts. */
public final class CommandHeaders {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"(\\d{1,18})\"");

    private CommandHeaders() {
    }

    /** The advertiser version an If-Match header names ({@code "7"}), or null when absent. */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        var matcher = VERSION_TAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw ApiException.badRequest("invalid-if-match",
                    "If-Match must be the advertiser's version as its ETag gives it, such as \"7\"");
        }
        return Long.parseLong(matcher.group(1));
    }

    public static String idempotencyKey(String header) {
        if (header != null && !IDEMPOTENCY_KEY.matcher(header).matches()) {
            throw ApiException.badRequest("invalid-idempotency-key",
                    "Idempotency-Key must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        return header;
    }
}
