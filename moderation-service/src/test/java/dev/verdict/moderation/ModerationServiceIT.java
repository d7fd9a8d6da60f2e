package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.ChainVerifier;
import dev.verdict.contract.EventJson;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.RealServers;
import dev.verdict.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a command stores, what reaches the topic with which provenance, and that a rejected command stores nothing.
 */
class ModerationServiceIT extends LiveModerationService {

    @Test
    void aBanAndItsAppealAreStoredChainedAndPublishedWithTheirProvenance() {
        String advertiser = register("acme-" + UUID.randomUUID().toString().substring(0, 8));
        Api.Response banned = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""), "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "X-Correlation-Id", "case-4711", "User-Agent", "it-client/1.0");
        assertThat(banned.status()).as(banned.body()).isEqualTo(201);
        String decisionId = json(banned.body()).path("decisionId").asText();
        assertThat(json(banned.body()).path("version").asLong()).isEqualTo(1);
        assertThat(banned.raw().headers().firstValue("ETag")).hasValue("\"1\"");

        Api.Response appealed = api.post("moderator2", "/api/v1/advertisers/" + advertiser + "/decisions/"
                + decisionId + "/appeals", "{\"statement\": \"No rule and no evidence were named.\"}");
        assertThat(appealed.status()).as(appealed.body()).isEqualTo(201);

        List<JsonNode> events = publishedEnvelopes(advertiser, 3);
        assertThat(events).extracting(e -> e.path("eventType").asText())
                .containsExactly("AdvertiserRegistered", "AdvertiserBanned", "AppealFiled");
        ChainVerifier chain = new ChainVerifier();
        events.forEach(chain::accept);
        assertThat(chain.complete(3)).as("hash chain").isTrue();

        JsonNode ban = events.get(1);
        var record = publishedRecords(advertiser, 3).get(1);
        assertThat(new String(record.headers().lastHeader("eventType").value(), StandardCharsets.UTF_8))
                .isEqualTo("AdvertiserBanned");
        assertThat(new String(record.headers().lastHeader("schemaVersion").value(), StandardCharsets.UTF_8))
                .isEqualTo("1");
        assertThat(new String(record.headers().lastHeader("eventId").value(), StandardCharsets.UTF_8))
                .isEqualTo(ban.path("eventId").asText());
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01");
        assertThat(ban.path("actor").path("id").asText()).isEqualTo("moderator1");
        assertThat(ban.path("actor").path("type").asText()).isEqualTo("HUMAN");
        assertThat(ban.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(ban.path("correlationId").asText()).isEqualTo("case-4711");
        assertThat(ban.path("causationId").asText()).isEqualTo(ban.path("commandId").asText());
        assertThat(ban.path("client").path("userAgent").asText()).isEqualTo("it-client/1.0");
        assertThat(ban.path("effectiveAt").asText()).isEqualTo(EventJson.formatTime(EFFECTIVE_FROM));
        assertThat(ban.path("source").path("service").asText()).isEqualTo("moderation-service");
        assertThat(ban.path("payload").path("terms").path("policy").path("clauseText").asText())
                .isEqualTo("Ads must not come from advertisers whose business model conflicts.");
        assertThat(ban.path("payload").path("terms").path("scope").toString()).isEqualTo("[\"ADVERTISING\"]");

        JsonNode appeal = events.get(2);
        assertThat(appeal.path("correlationId").asText()).as("correlated with the decision").isEqualTo("case-4711");
        assertThat(appeal.path("causationId").asText()).isEqualTo(appeal.path("commandId").asText())
                .isNotEqualTo(ban.path("commandId").asText());
        assertThat(appeal.path("actor").path("id").asText()).isEqualTo("moderator2");
        assertThat(appeal.path("onBehalfOf").path("id").asText()).isEqualTo(advertiser);
        assertThat(appeal.path("onBehalfOf").path("type").asText()).isEqualTo("ADVERTISER");

        Api.Response view = api.get("moderator1", "/api/v1/advertisers/" + advertiser);
        assertThat(view.raw().headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(json(view.body()).path("decisions").get(0).path("appeals").get(0).path("status").asText())
                .isEqualTo("OPEN");
    }

    @Test
    void theActorIsThePrincipalWhateverTheBodyClaims() {
        String advertiser = register("spoof-" + UUID.randomUUID().toString().substring(0, 8));
        String spoofed = ban("\"ORGANIC\"").replaceFirst("\\{", "{\"actor\": {\"id\": \"ceo\"}, \"actorId\": \"ceo\", ");
        assertThat(api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions", spoofed,
                "X-Actor-Id", "ceo").status()).isEqualTo(201);

        assertThat(publishedEnvelopes(advertiser, 2).get(1).path("actor").path("id").asText()).isEqualTo("moderator1");
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            moderator1 | /decisions | {"kind": | 400 | malformed-request
            moderator1 | /decisions | [] | 400 | malformed-request
            moderator1 | /decisions | {"kind": "EXILE"} | 400 | malformed-request
            moderator1 | /decisions | {"kind": "BAN"} | 400 | validation-failed
            moderator1 | /decisions | BAN_WITH_UNKNOWN_CLAUSE | 422 | unknown-policy-clause
            moderator1 | /decisions | BAN_IN_THE_FUTURE | 422 | effective-from-in-future
            moderator1 | /decisions | BAN_WITH_CONTROL_CHARACTERS | 400 | validation-failed
            moderator1 | /decisions | BAN_WITH_BAD_HASH | 400 | validation-failed
            moderator1 | /decisions | BAN_ILLEGAL_WITHOUT_LEGAL_GROUND | 400 | validation-failed
            moderator1 | /decisions | BAN_WITH_BAD_TIMESTAMP | 400 | malformed-request
            moderator1 | /decisions | BAN_WITH_SCOPE_AS_STRING | 400 | malformed-request
            moderator1 | /decisions | BAN_WITH_NUMBER_AS_BOOLEAN | 400 | malformed-request
            moderator1 | /decisions | DEEPLY_NESTED | 400 | malformed-request
            moderator1 | /decisions | BAN_WITH_UNKNOWN_TERRITORY | 400 | validation-failed
            moderator1 | /decisions | BAN_WITH_LONE_SURROGATE | 400 | validation-failed
            reviewer1  | /decisions | BAN | 403 | forbidden
            auditor1   | /decisions | BAN | 403 | forbidden
            nobody     | /decisions | BAN | 401 | unauthenticated
            kaspersky  | /decisions/8ea31715-bbd8-4835-840a-46ab073e5616/appeals | {"statement": "x"} | 403 | forbidden
            moderator1 | /decisions/not-a-uuid/appeals | {"statement": "x"} | 404 | decision-not-found
            moderator1 | /decisions/8ea31715-bbd8-4835-840a-46ab073e5616/appeals | {"statement": "x"} | 404 | decision-not-found
            moderator1 | /decisions/8ea31715-bbd8-4835-840a-46ab073e5616/appeals | {"statement": ""} | 400 | validation-failed
            """)
    void badInputIsRefusedWithAProblemAndStoresNothing(String user, String path, String body, int status, String code) {
        String advertiser = register("bad-" + UUID.randomUUID().toString().substring(0, 8));
        String json = switch (body) {
            case "BAN" -> ban("\"ADVERTISING\"");
            case "BAN_WITH_UNKNOWN_CLAUSE" -> ban("\"ADVERTISING\"").replace("\"4.2\"", "\"9.9\"");
            case "BAN_IN_THE_FUTURE" -> ban("\"ADVERTISING\"").replace(EFFECTIVE_FROM.toString(), "2999-01-01T00:00:00Z");
            case "BAN_WITH_CONTROL_CHARACTERS" -> ban("\"ADVERTISING\"").replace("no longer", "no\\u0000longer");
            case "BAN_WITH_BAD_HASH" -> ban("\"ADVERTISING\"").replace("ab".repeat(32), "not-a-hash");
            case "BAN_ILLEGAL_WITHOUT_LEGAL_GROUND" -> ban("\"ADVERTISING\"").replace("INCOMPATIBLE_CONTENT",
                    "ILLEGAL_CONTENT");
            case "BAN_WITH_BAD_TIMESTAMP" -> ban("\"ADVERTISING\"").replace(EFFECTIVE_FROM.toString(), "yesterday");
            case "BAN_WITH_SCOPE_AS_STRING" -> ban("\"ADVERTISING\"").replace("[\"ADVERTISING\"]", "\"ADVERTISING\"");
            case "BAN_WITH_NUMBER_AS_BOOLEAN" -> ban("\"ADVERTISING\"").replace("\"automatedDetection\": false",
                    "\"automatedDetection\": 99999999999999999999999");
            case "DEEPLY_NESTED" -> "[".repeat(100_000) + "]".repeat(100_000);
            case "BAN_WITH_UNKNOWN_TERRITORY" -> ban("\"ADVERTISING\"").replace("[\"WORLDWIDE\"]", "[\"XX\"]");
            case "BAN_WITH_LONE_SURROGATE" -> ban("\"ADVERTISING\"").replace("no longer", "no \\ud800 longer");
            default -> body;
        };
        long before = storedEvents();

        Api.Response response = api.post(user, "/api/v1/advertisers/" + advertiser + path, json);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.contentType()).isTrue();
        assertThat(json(response.body()).path("code").asText()).isEqualTo(code);
        assertThat(storedEvents()).isEqualTo(before);
    }

    /**
     * The largest decision the API takes (a body just under its 1 MiB limit: 84 pieces of evidence with URIs and
     * descriptions of three-byte characters, which no compression shrinks much as they are random) citing a clause of
     * 20,000 such characters makes an envelope over Kafka's default limit of 1 MiB: it is published all the same, and
     * so is what comes after it. The relay used to retry such an event forever.
     */
    @Test
    void theLargestDecisionTheApiTakesIsPublished() {
        String advertiser = register("large-" + UUID.randomUUID().toString().substring(0, 8));
        java.util.Random random = new java.util.Random(3);
        java.util.function.IntFunction<String> text = length -> {
            StringBuilder chars = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                chars.append((char) (0x4E00 + random.nextInt(0x5000))); // CJK: three bytes each in UTF-8
            }
            return chars.toString();
        };
        String policy = "ads/large-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("moderator1", "/api/v1/policies", """
                {"id": "%s", "version": "2026-01", "title": "Large",
                 "clauses": [{"clause": "1.1", "text": "%s"}]}""".formatted(policy, text.apply(20_000))).status())
                .isEqualTo(201);
        StringBuilder evidence = new StringBuilder();
        for (int i = 0; i < 84; i++) {
            evidence.append(i == 0 ? "" : ",").append("""
                    {"uri": "urn:%s", "sha256": "%s", "mediaType": "text/plain", "description": "%s"}"""
                    .formatted(text.apply(2_040), "ab".repeat(32), text.apply(2_000)));
        }
        String body = """
                {"kind": "WARNING", "scope": ["ADVERTISING"], "policy": {"id": "%s", "version": "2026-01", "clause": "1.1"},
                 "ground": "INCOMPATIBLE_CONTENT", "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
                 "statement": "%s", "territorialScope": ["WORLDWIDE"], "automatedDetection": false,
                 "automatedDecision": "NOT_AUTOMATED", "evidence": [%s]}""".formatted(policy, text.apply(5_000),
                evidence);
        assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(1024 * 1024);

        Api.Response decided = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions", body);
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        assertThat(api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/notes",
                "{\"text\": \"after the large one\"}").status()).isEqualTo(201);

        List<ConsumerRecord<String, byte[]>> published = publishedRecords(advertiser, 3);
        assertThat(published).hasSize(3);
        assertThat(published.get(1).value().length).as("over Kafka's default limit").isGreaterThan(1024 * 1024);
    }

    @Test
    void anUnknownAdvertiserIsNotFoundAndAnOversizedBodyIsRefused() {
        Api.Response unknown = api.post("moderator1", "/api/v1/advertisers/nobody-here/decisions", ban("\"ACCOUNT\""));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown.body()).path("code").asText()).isEqualTo("advertiser-not-found");

        String huge = "{\"statement\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        Api.Response oversized = api.post("moderator1", "/api/v1/advertisers/nobody-here/decisions", huge);
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(json(oversized.body()).path("code").asText()).isEqualTo("payload-too-large");
    }

    @Test
    void aStaleIfMatchIsRefusedAndAFreshOneAccepted() {
        String advertiser = register("etag-" + UUID.randomUUID().toString().substring(0, 8));
        long before = storedEvents();

        Api.Response stale = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""), "If-Match", "\"5\"");
        assertThat(stale.status()).as(stale.body()).isEqualTo(412);
        assertThat(json(stale.body()).path("code").asText()).isEqualTo("stale-version");
        assertThat(storedEvents()).isEqualTo(before);

        Api.Response fresh = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""), "If-Match", "\"0\"");
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(201);
    }

    @Test
    void concurrentDecisionsOnOneAdvertiserAllLandInOneGaplessChain() throws Exception {
        String advertiser = register("busy-" + UUID.randomUUID().toString().substring(0, 8));
        int decisions = 24;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < decisions; i++) {
                calls.add(() -> api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                        ban("\"ADVERTISING\"")).status());
            }
            for (Future<Integer> status : pool.invokeAll(calls)) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }

        List<JsonNode> events = publishedEnvelopes(advertiser, decisions + 1);
        assertThat(events).hasSize(decisions + 1);
        ChainVerifier chain = new ChainVerifier();
        events.forEach(chain::accept);
        assertThat(chain.complete(decisions + 1)).as("chain broken at %s", chain.firstBrokenSequence()).isTrue();
    }
}
