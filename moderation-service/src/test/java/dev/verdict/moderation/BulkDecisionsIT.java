package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.testkit.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One decision for many advertisers: a result per advertiser, one batch id on every event, nothing twice. */
class BulkDecisionsIT extends LiveModerationService {

    private static String bulk(List<String> advertiserIds) {
        return "{\"advertiserIds\": [" + advertiserIds.stream().map(id -> "\"" + id + "\"")
                .collect(Collectors.joining(",")) + "], \"decision\": " + ban("\"ADVERTISING\"") + "}";
    }

    @Test
    void eachAdvertiserGetsItsOwnResultAndEveryEventCarriesTheBatch() {
        String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> known = List.of(register(prefix + "-a"), register(prefix + "-b"), register(prefix + "-c"));
        List<String> all = new ArrayList<>(known);
        all.add(2, prefix + "-unknown");
        String key = "bulk-" + UUID.randomUUID();

        Api.Response response = api.post("moderator1", "/api/v1/decisions/bulk", bulk(all), "Idempotency-Key", key);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("accepted").asInt()).isEqualTo(3);
        assertThat(body.path("rejected").asInt()).isEqualTo(1);
        JsonNode unknown = body.path("results").get(2);
        assertThat(unknown.path("status").asInt()).isEqualTo(404);
        assertThat(unknown.path("code").asText()).isEqualTo("advertiser-not-found");
        String batchId = body.path("batchId").asText();
        for (String advertiser : known) {
            JsonNode decision = publishedEnvelopes(advertiser, 2).get(1);
            assertThat(decision.path("payload").path("terms").path("batchId").asText()).isEqualTo(batchId);
        }

        long before = storedEvents();
        JsonNode retried = json(api.post("moderator1", "/api/v1/decisions/bulk", bulk(all), "Idempotency-Key", key)
                .body());
        assertThat(storedEvents()).as("a retried bulk request records nothing twice").isEqualTo(before);
        assertThat(retried.path("batchId").asText()).isEqualTo(batchId);
        assertThat(retried.path("results").get(0).path("decisionId").asText())
                .isEqualTo(body.path("results").get(0).path("decisionId").asText());
    }

    @Test
    void aBatchIsAtMostAThousandDistinctAdvertisers() {
        List<String> tooMany = IntStream.range(0, 1001).mapToObj(i -> "adv-" + i).toList();
        Api.Response response = api.post("moderator1", "/api/v1/decisions/bulk", bulk(tooMany));
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response.body()).path("code").asText()).isEqualTo("validation-failed");

        Api.Response repeated = api.post("moderator1", "/api/v1/decisions/bulk", bulk(List.of("a", "a")));
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(api.post("reviewer1", "/api/v1/decisions/bulk", bulk(List.of("a"))).status()).isEqualTo(403);
    }
}
