package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.ChainVerifier;
import dev.verdict.contract.EventJson;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.ContractSchemas;
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
 * moderation-service on a real PostgreSQL and a real Kafka broker, driven over real HTTP. Subclasses share one
 * application context (one database, one topic). They log JSON as production does (see the failsafe configuration).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("local")
abstract class LiveModerationService {

    static final String TOPIC = "moderation-it-" + UUID.randomUUID();
    /** Recent enough to be appealable, in the past as decisions may be. */
    static final java.time.Instant EFFECTIVE_FROM =
            java.time.Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final String POLICY = """
            {"id": "ads/unacceptable-business-practices", "version": "2018-01", "title": "Unacceptable practices",
             "clauses": [{"clause": "4.2", "text": "Ads must not come from advertisers whose business model conflicts."}]}
            """;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        RealServers.registerDataSource("moderation", registry::add);
        registry.add("verdict.publishing.bootstrap-servers", RealServers::kafkaBootstrapServers);
        registry.add("verdict.publishing.topic", () -> TOPIC);
        registry.add("verdict.publishing.partitions", () -> 3);
        // GapTortureIT holds commands open for as long as 10,000 others take to commit, far beyond the default.
        registry.add("VERDICT_COMMAND_TIMEOUT_MS", () -> 600_000);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api("http://localhost:" + port);
        api.post("moderator1", "/api/v1/policies", POLICY);
    }

    static String ban(String scope) {
        return """
                {"kind": "BAN", "scope": [%s],
                 "policy": {"id": "ads/unacceptable-business-practices", "version": "2018-01", "clause": "4.2"},
                 "ground": "INCOMPATIBLE_CONTENT", "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
                 "statement": "Your account may no longer advertise.", "territorialScope": ["WORLDWIDE"],
                 "automatedDetection": false, "automatedDecision": "NOT_AUTOMATED",
                 "evidence": [{"uri": "urn:evidence:1", "sha256": "%s", "mediaType": "text/plain",
                               "description": "the notice"}],
                 "effectiveFrom": "%s"}
                """.formatted(scope, "ab".repeat(32), EFFECTIVE_FROM);
    }

    String register(String advertiserId) {
        Api.Response response = api.post("moderator1", "/api/v1/advertisers", """
                {"advertiserId": "%s", "legalName": "Advertiser %s", "country": "DE", "accountType": "BUSINESS"}
                """.formatted(advertiserId, advertiserId));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return advertiserId;
    }

    static JsonNode json(String text) {
        try {
            return EventJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The records on the topic for one advertiser, once there are at least {@code atLeast}. */
    static List<ConsumerRecord<String, byte[]>> publishedRecords(String advertiserId, int atLeast) {
        return TopicReader.readUntil(RealServers.kafkaBootstrapServers(), TOPIC,
                all -> all.stream().filter(r -> advertiserId.equals(r.key())).count() >= atLeast,
                Duration.ofSeconds(30)).stream().filter(r -> advertiserId.equals(r.key())).toList();
    }

    static List<JsonNode> publishedEnvelopes(String advertiserId, int atLeast) {
        List<ConsumerRecord<String, byte[]>> records = publishedRecords(advertiserId, atLeast);
        List<JsonNode> envelopes = records.stream().filter(r -> advertiserId.equals(r.key()))
                .map(r -> json(new String(r.value(), StandardCharsets.UTF_8))).toList();
        // Every event the service publishes must validate against the published JSON Schemas.
        envelopes.forEach(envelope -> assertThat(ContractSchemas.violations(envelope))
                .as("%s #%s", envelope.path("eventType"), envelope.path("sequence")).isEmpty());
        return envelopes;
    }

    long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

}
