package dev.verdict.moderation.decision;

import dev.verdict.moderation.advertiser.AdvertiserIds;
import dev.verdict.servicekit.ApiException;
import java.util.List;

/** A territorial scope: country codes, or the single value WORLDWIDE. Sorted and distinct, for a stable event. */
public final class Territories {

    private Territories() {
    }

    public static List<String> normalize(List<String> territorialScope) {
        List<String> territories = territorialScope.stream().distinct().sorted().toList();
        if (territories.contains("WORLDWIDE") && territories.size() > 1) {
            throw ApiException.badRequest("validation-failed",
                    "territorialScope is either [\"WORLDWIDE\"] or a list of country codes");
        }
        territories.stream().filter(code -> !code.equals("WORLDWIDE") && !AdvertiserIds.isCountry(code)).findFirst()
                .ifPresent(code -> {
                    throw ApiException.badRequest("validation-failed", code + " is not an ISO 3166-1 alpha-2 code");
                });
        return territories;
    }
}
