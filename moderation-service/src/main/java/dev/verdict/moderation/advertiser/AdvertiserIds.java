package dev.verdict.moderation.advertiser;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.PathIds;
import java.util.Locale;
import java.util.Set;

/** Identifier and code formats, checked before anything is looked up. */
public final class AdvertiserIds {

    public static final String PATTERN = "[A-Za-z0-9._-]{1,64}";
    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private AdvertiserIds() {
    }

    /** A path's advertiser id; a malformed one names no advertiser. */
    public static String advertiserId(String value) {
        if (!COMPILED.matcher(value).matches()) {
            throw ApiException.notFound("advertiser-not-found", "no advertiser with that id (ids match " + PATTERN + ")");
        }
        return value;
    }

    /** A path's decision or appeal id: a UUID in its canonical form. */
    public static String uuid(String value, String notFoundCode) {
        return PathIds.uuid(value, notFoundCode).toString();
    }

    public static boolean isCountry(String code) {
        return COUNTRIES.contains(code);
    }
}
