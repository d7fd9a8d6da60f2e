package dev.verdict.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashChainTest {

    /**
     * The reference values were computed outside this project, by Python's standard library:
     * {@code json.dumps(envelope, sort_keys=True, separators=(',', ':'), ensure_ascii=False)} and
     * {@code hashlib.sha256}. An outsider's verifier must agree with ours on them.
     */
    private static final String REFERENCE_CANONICAL = "{\"actor\":{\"id\":\"moderator1\",\"roles\":[\"MODERATOR\"],"
            + "\"type\":\"HUMAN\"},\"advertiserId\":\"acme-ads\",\"causationId\":\"c1\",\"client\":{\"ip\":\"127.0.0.1\","
            + "\"userAgent\":\"curl/8 \u00e9\u20ac\uD83D\uDE00 tab\\there\"},\"commandId\":\"c1\",\"correlationId\":\"c1\","
            + "\"effectiveAt\":\"2026-01-02T03:04:05.678Z\",\"eventId\":\"3f0a7c1e-9a53-4c1b-8f7e-2d6b1c0e4a11\","
            + "\"eventType\":\"AdvertiserRegistered\",\"idempotencyKey\":null,\"integrity\":{\"prevHash\":\""
            + "0".repeat(64) + "\"},\"occurredAt\":\"2026-01-02T03:04:05.678Z\",\"onBehalfOf\":null,\"payload\":{"
            + "\"accountType\":\"BUSINESS\",\"advertiserId\":\"acme-ads\",\"country\":\"FR\",\"legalName\":"
            + "\"Acme \u00c9tudes \\\"Ads\\\" \\\\ Ltd\"},\"schemaVersion\":1,\"sequence\":0,\"source\":{\"instance\":"
            + "\"i-1\",\"service\":\"moderation-service\",\"version\":\"0.1.0\"},\"traceId\":"
            + "\"0af7651916cd43dd8448eb211c80319c\"}";
    private static final String REFERENCE_HASH = "673c1f374ac592fc77f93c74717fa48262c07609381c2146ad709c7bdae9949a";

    static Envelope sample(long sequence, String legalName) {
        ObjectNode payload = EventJson.mapper().createObjectNode()
                .put("advertiserId", "acme-ads")
                .put("legalName", legalName)
                .put("country", "FR")
                .put("accountType", "BUSINESS");
        return new Envelope("3f0a7c1e-9a53-4c1b-8f7e-2d6b1c0e4a1" + (sequence + 1), "AdvertiserRegistered", 1, "acme-ads",
                sequence, "2026-01-02T03:04:05.678Z", "2026-01-02T03:04:05.678Z",
                new Envelope.Actor("moderator1", List.of("MODERATOR"), Envelope.ActorType.HUMAN), null, "c1", null,
                "c1", "c1", new Envelope.Source("moderation-service", "0.1.0", "i-1"),
                new Envelope.Client("127.0.0.1", "curl/8 \u00e9\u20ac\uD83D\uDE00 tab\there"),
                "0af7651916cd43dd8448eb211c80319c", payload, null);
    }

    @Test
    void canonicalFormAndHashAgreeWithAnIndependentImplementation() {
        Envelope sealed = HashChain.seal(sample(0, "Acme \u00c9tudes \"Ads\" \\ Ltd"), HashChain.GENESIS);
        JsonNode unhashed = EventJson.mapper().valueToTree(sealed);
        ((ObjectNode) unhashed.get("integrity")).remove("hash");

        assertThat(new String(HashChain.canonicalize(unhashed), StandardCharsets.UTF_8)).isEqualTo(REFERENCE_CANONICAL);
        assertThat(sealed.integrity().hash()).isEqualTo(REFERENCE_HASH);
    }

    @Test
    void hashIgnoresKeyOrderAndWhitespaceOfTheInput() throws Exception {
        Envelope sealed = HashChain.seal(sample(1, "Acme"), HashChain.GENESIS);
        ObjectNode reversed = EventJson.mapper().createObjectNode();
        List<String> names = new java.util.ArrayList<>();
        EventJson.mapper().valueToTree(sealed).fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        JsonNode original = EventJson.mapper().valueToTree(sealed);
        names.forEach(name -> reversed.set(name, original.get(name)));
        String pretty = EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reversed);

        assertThat(pretty).doesNotStartWith("{\"actor\"");
        assertThat(HashChain.hash(EventJson.mapper().readTree(pretty))).isEqualTo(sealed.integrity().hash());
    }

    @Test
    void anyChangedFieldChangesTheHash() {
        String original = HashChain.seal(sample(1, "Acme"), HashChain.GENESIS).integrity().hash();

        assertThat(HashChain.seal(sample(1, "Acme."), HashChain.GENESIS).integrity().hash()).isNotEqualTo(original);
        assertThat(HashChain.seal(sample(2, "Acme"), HashChain.GENESIS).integrity().hash()).isNotEqualTo(original);
        assertThat(HashChain.seal(sample(1, "Acme"), "1".repeat(64)).integrity().hash()).isNotEqualTo(original);
    }

    @Test
    void envelopeTimesAlwaysHaveMillisecondPrecision() {
        assertThat(EventJson.formatTime(java.time.Instant.parse("2026-01-02T03:04:05Z")))
                .isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(EventJson.formatTime(java.time.Instant.parse("2026-01-02T03:04:05.123456789Z")))
                .isEqualTo("2026-01-02T03:04:05.123Z");
    }
}
