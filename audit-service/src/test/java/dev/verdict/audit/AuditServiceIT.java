package dev.verdict.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.HostileRequests;
import dev.verdict.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import dev.verdict.testkit.PrometheusText;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * audit-service on a real PostgreSQL and a real Kafka broker: envelopes produced to the topic, as moderation-service
 * would, come out of the history API byte for byte; duplicates and garbage change nothing they should not.
 */
// JSON logs (VERDICT_LOG_FORMAT=ecs) with each record's ingest at DEBUG: see the failsafe configuration.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "verdict.ingest.lag-refresh=200ms")
@ActiveProfiles("local")
@ExtendWith(OutputCaptureExtension.class)
class AuditServiceIT {

    private static final String TOPIC = "audit-it-" + UUID.randomUUID();
    private static KafkaProducer<String, byte[]> producer;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        RealServers.registerDataSource("audit", registry::add);
        registry.add("verdict.ingest.bootstrap-servers", RealServers::kafkaBootstrapServers);
        registry.add("verdict.ingest.topic", () -> TOPIC);
    }

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", RealServers.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api("http://localhost:" + port);
    }

    /** A chain of sealed envelopes for one advertiser, in their canonical (published) text. */
    static List<String> chain(String advertiserId, int count) {
        List<String> published = new ArrayList<>();
        String prev = HashChain.GENESIS;
        for (int sequence = 0; sequence < count; sequence++) {
            ObjectNode payload = EventJson.mapper().createObjectNode().put("note", "event " + sequence);
            String type = sequence == 0 ? "AdvertiserRegistered" : sequence % 2 == 0 ? "AppealFiled" : "AdvertiserBanned";
            Envelope envelope = HashChain.seal(new Envelope(UUID.randomUUID().toString(), type, 1, advertiserId,
                    sequence, EventJson.formatTime(java.time.Instant.parse("2026-03-01T10:00:00Z")
                            .plus(java.time.Duration.ofDays(sequence))), "2026-03-01T10:00:00.000Z",
                    new Envelope.Actor(sequence % 2 == 0 ? "moderator1" : "moderator2", List.of("MODERATOR"),
                            Envelope.ActorType.HUMAN),
                    null, "cmd-" + sequence, null, "corr", "cmd-" + sequence,
                    new Envelope.Source("moderation-service", "0.1.0", "it"), null, "0".repeat(31) + "1", payload,
                    null), prev);
            prev = envelope.integrity().hash();
            published.add(HashChain.canonicalText(envelope));
        }
        return published;
    }

    static void produce(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, key, value.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode history(String advertiserId, String query) {
        Api.Response response = api.get("auditor1", "/api/v1/advertisers/" + advertiserId + "/history" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        try {
            return EventJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> itemsText(String advertiserId) {
        List<String> items = new ArrayList<>();
        history(advertiserId, "?limit=1000").path("items").forEach(item -> items.add(HashChain.canonicalTextOf(item)));
        return items;
    }

    private int historySize(String advertiserId) {
        Api.Response response = api.get("auditor1", "/api/v1/advertisers/" + advertiserId + "/history?limit=1000");
        if (response.status() == 404) {
            return 0;
        }
        return history(advertiserId, "?limit=1000").path("items").size();
    }

    @Test
    void publishedEnvelopesComeOutOfTheHistoryByteForByteInSequenceOrder() {
        String advertiser = "acme-" + UUID.randomUUID();
        List<String> published = chain(advertiser, 4);
        published.forEach(envelope -> produce(advertiser, envelope));

        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 4);

        Api.Response raw = api.get("auditor1", "/api/v1/advertisers/" + advertiser + "/history");
        assertThat(raw.body()).isEqualTo("{\"items\":[" + String.join(",", published) + "],\"nextCursor\":null}");
    }

    @Test
    void aRedeliveredEventIsStoredOnce() {
        String advertiser = "dup-" + UUID.randomUUID();
        List<String> published = chain(advertiser, 3);
        produce(advertiser, published.get(0));
        produce(advertiser, published.get(1));
        produce(advertiser, published.get(0));
        produce(advertiser, published.get(1));
        produce(advertiser, published.get(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) >= 3);
        // An event produced after all the duplicates, on the same partition: once it is visible, they were all read.
        String marker = "marker-" + UUID.randomUUID();
        List<String> markerChain = chain(marker, 1);
        produce(advertiser, markerChain.get(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(marker) == 1);

        assertThat(itemsText(advertiser)).containsExactlyElementsOf(published);
    }

    @Test
    void anUnreadableRecordIsKeptAsideWithItsReasonAndLaterEventsStillArrive() {
        String advertiser = "poison-" + UUID.randomUUID();
        produce(advertiser, "this is not an envelope");
        produce(advertiser, "{\"eventId\": \"not-a-uuid\"}");
        List<String> published = chain(advertiser, 1);
        produce(advertiser, published.get(0));

        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 1);
        List<String> reasons = jdbc.queryForList(
                "SELECT reason FROM unreadable_record WHERE record_key = ? ORDER BY record_offset", String.class,
                advertiser);
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0)).startsWith("not JSON");
        assertThat(reasons.get(1)).contains("eventId");

        var letters = dev.verdict.testkit.TopicReader.readUntil(RealServers.kafkaBootstrapServers(),
                TOPIC + ".dead-letters", all -> all.stream().filter(r -> advertiser.equals(r.key())).count() == 2,
                Duration.ofSeconds(20)).stream().filter(r -> advertiser.equals(r.key())).toList();
        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("this is not an envelope");
        assertThat(new String(letters.get(0).headers().lastHeader("reason").value(), StandardCharsets.UTF_8))
                .startsWith("not JSON");
    }

    @Test
    void aRecordWhoseProjectionFailsGoesToTheDeadLettersAndTheRestFlowsAndAdminCanRetry() throws Exception {
        String advertiser = "projection-" + UUID.randomUUID();
        List<String> published = chain(advertiser, 3);
        produce(advertiser, published.get(0));
        produce(advertiser, published.get(1).replace("\"AdvertiserBanned\"", "\"" + "X".repeat(200) + "\""));
        produce(advertiser, published.get(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 2);
        JsonNode letters = EventJson.mapper().readTree(api.get("admin1", "/api/v1/admin/dead-letters").body());
        JsonNode letter = null;
        for (JsonNode item : letters.path("items")) {
            if (advertiser.equals(item.path("key").asText())) {
                letter = item;
            }
        }
        assertThat(letter).isNotNull();
        assertThat(letter.path("reason").asText()).startsWith("the projection failed");
        Api.Response retried = api.send("admin1", "POST", "/api/v1/admin/dead-letters/" + letter.path("id").asLong()
                + "/retry", null, null);
        assertThat(retried.status()).isEqualTo(422);
        assertThat(EventJson.mapper().readTree(retried.body()).path("code").asText())
                .isEqualTo("dead-letter-still-failing");

        // A letter that can be stored now (as after a fix or an upgrade) is stored by a retry.
        String fixable = "fixable-" + UUID.randomUUID();
        String envelope = chain(fixable, 1).get(0);
        long id = jdbc.queryForObject("""
                INSERT INTO unreadable_record (topic, partition, record_offset, record_key, record_value, reason)
                VALUES (?, 0, ?, ?, ?, 'failed before the fix') RETURNING id""", Long.class, TOPIC,
                1_000_000_000L + Math.abs(fixable.hashCode()), fixable, envelope.getBytes(StandardCharsets.UTF_8));
        Api.Response fixed = api.send("admin1", "POST", "/api/v1/admin/dead-letters/" + id + "/retry", null, null);
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(EventJson.mapper().readTree(fixed.body()).path("retryResult").asText()).isEqualTo("stored");
        assertThat(historySize(fixable)).isEqualTo(1);
        assertThat(api.send("auditor1", "POST", "/api/v1/admin/dead-letters/" + id + "/retry", null, null).status())
                .isEqualTo(403);
    }

    /**
     * An envelope with an indexed value too large for an index entry (an actor id of 6,000 characters; PostgreSQL
     * indexes at most about 2,700 bytes) is a dead letter with its reason, and the records after it on its partition
     * still arrive: ingestion used to retry it forever ("index row size exceeds btree maximum" is not an integrity
     * violation), stopping the partition. Retrying the letter is a 422.
     */
    @Test
    void aRecordTooLargeForTheIndexesGoesToTheDeadLettersAndTheRestFlows() throws Exception {
        String advertiser = "too-large-" + UUID.randomUUID();
        List<String> published = chain(advertiser, 3);
        ObjectNode large = (ObjectNode) EventJson.mapper().readTree(published.get(1));
        java.util.Random random = new java.util.Random(7);
        StringBuilder actor = new StringBuilder();
        for (int i = 0; i < 6_000; i++) {
            actor.append((char) ('a' + random.nextInt(26))); // random, so that PostgreSQL cannot compress it to fit
        }
        ((ObjectNode) large.get("actor")).put("id", actor.toString());
        produce(advertiser, published.get(0));
        produce(advertiser, HashChain.canonicalTextOf(large));
        produce(advertiser, published.get(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 2);
        Long letter = jdbc.queryForObject("SELECT id FROM unreadable_record WHERE record_key = ?", Long.class,
                advertiser);
        assertThat(jdbc.queryForObject("SELECT reason FROM unreadable_record WHERE id = ?", String.class, letter))
                .isEqualTo("actor.id is longer than 1024 bytes, more than the history indexes");
        Api.Response retried = api.send("admin1", "POST", "/api/v1/admin/dead-letters/" + letter + "/retry", null,
                null);
        assertThat(retried.status()).as(retried.body()).isEqualTo(422);
        assertThat(EventJson.mapper().readTree(retried.body()).path("code").asText())
                .isEqualTo("dead-letter-still-failing");
    }

    @Test
    void everyApprovedSampleOfEveryVersionIsStoredAndUnknownOnesAreReportedNotDropped() throws Exception {
        String advertiser = "contract-" + UUID.randomUUID();
        List<String> samples = new ArrayList<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("..", "verdict-contract", "src", "main",
                "resources", "samples"))) {
            files.sorted().forEach(file -> samples.add(file.getFileName().toString()));
        }
        long sequence = 0;
        for (String name : samples) {
            ObjectNode sample = (ObjectNode) EventJson.mapper().readTree(AuditServiceIT.class
                    .getResourceAsStream("/samples/" + name));
            sample.put("eventId", UUID.randomUUID().toString()).put("advertiserId", advertiser)
                    .put("sequence", sequence++);
            produce(advertiser, HashChain.canonicalTextOf(sample));
        }
        ObjectNode fromTheFuture = (ObjectNode) EventJson.mapper().readTree(AuditServiceIT.class
                .getResourceAsStream("/samples/" + samples.get(0)));
        fromTheFuture.put("eventId", UUID.randomUUID().toString()).put("advertiserId", advertiser)
                .put("sequence", sequence).put("eventType", "AdvertiserKnighted");
        produce(advertiser, HashChain.canonicalTextOf(fromTheFuture));

        int expected = samples.size() + 1;
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == expected);
        JsonNode unrecognised = EventJson.mapper().readTree(api.get("admin1", "/api/v1/admin/unrecognised-events")
                .body());
        List<JsonNode> ours = new ArrayList<>();
        unrecognised.path("items").forEach(item -> {
            if (advertiser.equals(item.path("advertiserId").asText())) {
                ours.add(item);
            }
        });
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).path("eventType").asText()).isEqualTo("AdvertiserKnighted");
        assertThat(samples).contains("AppealFiled.v1.json", "AppealFiled.v2.json");
    }

    @Test
    void theIntegrityCheckRecomputesTheChainFromTheStoredEnvelopes() throws Exception {
        String intact = "intact-" + UUID.randomUUID();
        chain(intact, 3).forEach(envelope -> produce(intact, envelope));
        String tampered = "tampered-" + UUID.randomUUID();
        List<String> published = chain(tampered, 4);
        produce(tampered, published.get(0));
        produce(tampered, published.get(1).replace("event 1", "event one"));
        produce(tampered, published.get(2));
        produce(tampered, published.get(3));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(intact) == 3 && historySize(tampered) == 4);

        JsonNode valid = EventJson.mapper().readTree(api.get("auditor1", "/api/v1/advertisers/" + intact
                + "/integrity").body());
        JsonNode broken = EventJson.mapper().readTree(api.get("auditor1", "/api/v1/advertisers/" + tampered
                + "/integrity").body());

        assertThat(valid.path("valid").asBoolean()).isTrue();
        assertThat(valid.path("events").asInt()).isEqualTo(3);
        assertThat(valid.path("firstBrokenSequence").isNull()).isTrue();
        assertThat(broken.path("valid").asBoolean()).isFalse();
        assertThat(broken.path("firstBrokenSequence").asLong()).isEqualTo(1);
        assertThat(api.get("auditor1", "/api/v1/advertisers/nobody-at-all/integrity").status()).isEqualTo(404);
    }

    @Test
    void theSearchAcrossAdvertisersPagesStablyWhileEventsKeepArriving() throws Exception {
        String actor = "searcher-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            String advertiser = "search-" + i + "-" + UUID.randomUUID();
            chain(advertiser, 2).forEach(envelope -> produce(advertiser,
                    envelope.replace("\"moderator2\"", "\"" + actor + "\"")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> EventJson.mapper().readTree(api.get("auditor1",
                "/api/v1/events?actor=" + actor).body()).path("items").size() == 3);

        JsonNode first = EventJson.mapper().readTree(api.get("auditor1", "/api/v1/events?actor=" + actor + "&limit=2")
                .body());
        assertThat(first.path("items")).hasSize(2);
        String late = "search-late-" + UUID.randomUUID();
        chain(late, 2).forEach(envelope -> produce(late, envelope.replace("\"moderator2\"", "\"" + actor + "\"")));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(late) == 2);
        JsonNode second = EventJson.mapper().readTree(api.get("auditor1", "/api/v1/events?actor=" + actor
                + "&limit=2&cursor=" + first.path("nextCursor").asText()).body());

        List<String> seen = new ArrayList<>();
        first.path("items").forEach(item -> seen.add(item.path("eventId").asText()));
        second.path("items").forEach(item -> seen.add(item.path("eventId").asText()));
        assertThat(seen).doesNotHaveDuplicates().hasSize(4);
        assertThat(second.path("items").get(1).path("advertiserId").asText()).isEqualTo(late);
        assertThat(api.get("auditor1", "/api/v1/events?type=AdvertiserBanned&actor=" + actor).body())
                .doesNotContain("AdvertiserRegistered");
        assertThat(api.get("auditor1", "/api/v1/events?limit=0").status()).isEqualTo(400);
    }

    @Test
    void theConsumedPositionIsStoredWithTheRows() {
        String advertiser = "offsets-" + UUID.randomUUID();
        chain(advertiser, 2).forEach(envelope -> produce(advertiser, envelope));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 2);

        Map<String, Object> row = jdbc.queryForMap("""
                SELECT e.topic_partition, max(e.topic_offset) AS last_offset, p.next_offset
                FROM audit_event e JOIN consumer_position p ON p.topic = ? AND p.partition = e.topic_partition
                WHERE e.advertiser_id = ? GROUP BY e.topic_partition, p.next_offset""", TOPIC, advertiser);
        assertThat(((Number) row.get("next_offset")).longValue())
                .isGreaterThan(((Number) row.get("last_offset")).longValue());
    }

    @Test
    void pagesFollowTheCursorAndFiltersCombine() {
        String advertiser = "pages-" + UUID.randomUUID();
        List<String> published = chain(advertiser, 5);
        published.forEach(envelope -> produce(advertiser, envelope));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 5);

        List<Long> sequences = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = history(advertiser, "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("items").forEach(item -> sequences.add(item.path("sequence").asLong()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(sequences).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(pages).isEqualTo(3);

        assertThat(history(advertiser, "?type=AdvertiserBanned").path("items")).hasSize(2);
        assertThat(history(advertiser, "?type=AdvertiserBanned,AppealFiled&actor=moderator1").path("items"))
                .hasSize(2);
        assertThat(history(advertiser, "?from=2026-03-02T10:00:00Z&to=2026-03-04T10:00:00Z").path("items"))
                .extracting(item -> item.path("sequence").asLong()).containsExactly(1L, 2L);
    }

    @Test
    void badQueriesAreRefusedWithAProblemAndReadsAreRecorded() throws Exception {
        // Only this test's records: the hostile-input test may have recorded more than a page of auditor1's reads.
        String since = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString();
        long recordedBefore = jdbc.queryForObject("SELECT count(*) FROM access_log WHERE principal = 'auditor1' "
                + "AND query = 'from=yesterday' AND path = '/api/v1/advertisers/acme/history'", Long.class);
        for (String query : List.of("?limit=0", "?limit=abc", "?cursor=bogus", "?from=yesterday", "?type=Drop;Table")) {
            Api.Response response = api.get("auditor1", "/api/v1/advertisers/acme/history" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.isProblem()).as(query).isTrue();
        }
        assertThat(api.get("moderator1", "/api/v1/advertisers/acme/history").status()).isEqualTo(403);
        assertThat(api.get(null, "/api/v1/advertisers/acme/history").status()).isEqualTo(401);
        assertThat(api.get("auditor1", "/api/v1/advertisers/never-seen/history").status()).isEqualTo(404);

        // A read's record is committed right after its answer is sent (web/AccessLog), so it may trail the answer.
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT count(*) FROM access_log "
                + "WHERE principal = 'auditor1' AND query = ? AND path = '/api/v1/advertisers/acme/history'",
                Long.class, "from=yesterday") == recordedBefore + 1);
        JsonNode log = EventJson.mapper().readTree(api.get("admin1", "/api/v1/admin/access-log?principal=auditor1"
                + "&limit=1000&from=" + since).body());
        assertThat(log.path("items")).anyMatch(access -> "from=yesterday".equals(access.path("query").asText())
                && access.path("status").asInt() == 400 && access.path("path").asText().endsWith("/history"));
        assertThat(api.get("auditor1", "/api/v1/admin/access-log").status()).isEqualTo(403);
    }

    /**
     * Thousands of generated hostile reads (and admin writes), each a valid request broken in one way: every one
     * must be a 4xx problem (401 without one), and the history must not change. Reads are recorded in the access
     * log, which is therefore the one table allowed to grow.
     */
    @Test
    void generatedHostileRequestsAreRefusedAndChangeNothing() throws Exception {
        String advertiser = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        chain(advertiser, 3).forEach(envelope -> produce(advertiser, envelope));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> historySize(advertiser) == 3);
        String unknownDecision = UUID.randomUUID().toString();
        List<String> badTimes = List.of("yesterday", "2026-13-45T00:00:00Z", "1e308", "2026-03-01", "", "%00",
                "+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "1582-10-14T00:00:00Z", "+10000-01-01T00:00:00Z");
        List<String> badLimits = List.of("0", "-1", "1001", "abc", "1e308", "99999999999999999999");
        List<String> badCursors = List.of("garbage", "AAAA", "eyJ4IjoxfQ", "%");
        Map<String, List<String>> paging = Map.of("limit", badLimits, "cursor", badCursors, "from", badTimes,
                "to", badTimes);
        Map<String, List<String>> exports = Map.of("from", badTimes, "to", badTimes, "cursor", badCursors,
                "advertiserId", List.of("a/b", "a b", "x".repeat(65)));
        String base = "/api/v1/advertisers/" + advertiser;
        List<HostileRequests.Target> targets = List.of(
                HostileRequests.Target.read("auditor1", base + "/history", List.of(advertiser), paging),
                HostileRequests.Target.read("auditor1", "/api/v1/events", List.of(), paging),
                HostileRequests.Target.read("auditor1", base + "/state", List.of(advertiser),
                        Map.of("asOf", badTimes, "knownAt", badTimes)),
                HostileRequests.Target.read("auditor1", base + "/integrity", List.of(advertiser), Map.of()),
                HostileRequests.Target.read("auditor1", "/api/v1/decisions/" + unknownDecision,
                        List.of(unknownDecision), Map.of()),
                HostileRequests.Target.read("auditor1", "/api/v1/exports/events.ndjson", List.of(), exports),
                HostileRequests.Target.read("auditor1", "/api/v1/exports/events.csv", List.of(), exports),
                HostileRequests.Target.read("auditor1", "/api/v1/exports/statements-of-reasons", List.of(), exports),
                HostileRequests.Target.read("admin1", "/api/v1/admin/access-log", List.of(), paging),
                HostileRequests.Target.read("admin1", "/api/v1/admin/dead-letters", List.of(),
                        Map.of("cursor", badCursors)),
                HostileRequests.Target.read("admin1", "/api/v1/admin/unrecognised-events", List.of(),
                        Map.of("cursor", badCursors)),
                HostileRequests.Target.read("admin1", "/api/v1/admin/replay/" + unknownDecision,
                        List.of(unknownDecision), Map.of()),
                new HostileRequests.Target("admin1", "POST", "/api/v1/admin/dead-letters/987654321/retry",
                        List.of("987654321"), null));

        Map<String, Long> before = state();
        HostileRequests.Tally tally = HostileRequests.send("http://localhost:" + port,
                HostileRequests.of(targets, "kaspersky"), 3_200, 4);

        java.nio.file.Files.write(java.nio.file.Path.of("target", "hostile-input-findings.txt"), tally.failures());
        assertThat(tally.sent()).isEqualTo(3_200);
        assertThat(tally.failures()).as("answers other than a 4xx problem, of %s: %s", tally.sent(),
                tally.statuses()).isEmpty();
        assertThat(state()).as("nothing stored by any of %s requests", tally.sent()).isEqualTo(before);
        System.out.printf("audit-service: %d hostile requests, statuses %s%n", tally.sent(), tally.statuses());
    }

    private Map<String, Long> state() {
        return Map.of(
                "events", jdbc.queryForObject("SELECT count(*) FROM audit_event", Long.class),
                "positions", jdbc.queryForObject("SELECT coalesce(sum(next_offset), 0) FROM consumer_position",
                        Long.class),
                "dead letters", jdbc.queryForObject("SELECT count(*) FROM unreadable_record", Long.class),
                "replays", jdbc.queryForObject("SELECT count(*) FROM replay_run", Long.class));
    }

    private PrometheusText scrape() {
        Api.Response response = api.get(null, "/actuator/prometheus");
        assertThat(response.status()).as("the scrape needs no credentials").isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    @Test
    void theScrapeShowsTheProjectionRateAndNoLagOnceCaughtUp() {
        double storedBefore = scrape().sum("verdict_audit_events_stored_total");
        String advertiser = "metrics-" + UUID.randomUUID();
        List<String> published = chain(advertiser, 3);
        published.forEach(envelope -> produce(advertiser, envelope));
        produce(advertiser, published.get(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 3);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText text = scrape();
            assertThat(text.sum("verdict_audit_events_stored_total") - storedBefore)
                    .as("three new events; the redelivery is not one").isEqualTo(3.0);
            for (String partition : List.of("0", "1", "2")) {
                assertThat(text.has("verdict_audit_consumer_lag_records", "partition", partition))
                        .as("partition %s in\n%s", partition, text).isTrue();
            }
            assertThat(text.sum("verdict_audit_consumer_lag_records")).isZero();
            assertThat(text.sum("verdict_audit_consumer_lag_seconds")).isZero();
            assertThat(text.names()).contains("verdict_audit_dead_letters_total", "verdict_audit_replay_done",
                    "verdict_audit_replay_target", "hikaricp_connections_active");
            assertThat(text.has("verdict_audit_events_stored_total", "application", "audit-service")).isTrue();
        });
    }

    @Test
    void readinessNeedsTheDatabaseAndKafkaAndLivenessNeitherOfThem() throws Exception {
        JsonNode readiness = EventJson.mapper().readTree(api.get(null, "/actuator/health/readiness").body());
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("kafka").path("status").asText()).isEqualTo("UP");
        JsonNode liveness = EventJson.mapper().readTree(api.get(null, "/actuator/health/liveness").body());
        assertThat(liveness.path("components").size()).as(liveness.toString()).isEqualTo(1);
        assertThat(liveness.path("components").has("livenessState")).isTrue();
    }

    @Test
    void theOpenApiDocumentListsTheHistoryTheAdminOperationsAndTheProblemSchema() throws Exception {
        Api.Response response = api.get(null, "/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        JsonNode document = EventJson.mapper().readTree(response.body());
        assertThat(document.path("paths").has("/api/v1/advertisers/{advertiserId}/history")).isTrue();
        assertThat(document.path("paths").has("/api/v1/admin/replay")).isTrue();
        assertThat(document.path("paths").has("/api/v1/exports/statements-of-reasons")).isTrue();
        assertThat(document.path("components").path("schemas").path("Problem").path("required").toString())
                .contains("code");
        assertThat(document.path("paths").path("/api/v1/admin/replay").path("post").path("responses").path("409")
                .path("content").path("application/problem+json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(document.path("components").path("securitySchemes").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("basic", "bearer");
        assertThat(api.get(null, "/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void eachIngestedRecordLogsJsonWithTheEventsCorrelationAndTrace(CapturedOutput output) throws Exception {
        String advertiser = "logs-" + UUID.randomUUID();
        ObjectNode envelope = (ObjectNode) EventJson.mapper().readTree(chain(advertiser, 1).get(0));
        envelope.put("correlationId", "case-audit-logs").put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        produce(advertiser, HashChain.canonicalTextOf(envelope));
        await().atMost(Duration.ofSeconds(20)).until(() -> historySize(advertiser) == 1);

        JsonNode line = output.getOut().lines().filter(l -> l.startsWith("{") && l.contains(advertiser))
                .map(l -> {
                    try {
                        return EventJson.mapper().readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + l, e);
                    }
                }).findFirst().orElseThrow(() -> new AssertionError("no JSON line about " + advertiser));
        assertThat(line.path("correlationId").asText()).isEqualTo("case-audit-logs");
        assertThat(line.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(line.path("eventId").asText()).isEqualTo(envelope.path("eventId").asText());
        assertThat(line.path("service").path("name").asText()).isEqualTo("audit-service");
    }

    /**
     * Every endpoint × every local user: an auditor reads the history and nothing else, an admin runs the service and
     * reads nothing of the history, every other role (and the advertiser itself) reads nothing here. A refusal is
     * always 403 before anything is read, never a 401 to a valid user.
     */
    @ParameterizedTest(name = "{0} {1} as {2}")
    @CsvSource({
            "GET, /api/v1/advertisers/acme/history, auditor1",
            "GET, /api/v1/events, auditor1",
            "GET, /api/v1/advertisers/acme/state, auditor1",
            "GET, /api/v1/advertisers/acme/integrity, auditor1",
            "GET, /api/v1/decisions/00000000-0000-4000-8000-000000000000, auditor1",
            "GET, /api/v1/exports/events.csv?advertiserId=acme, auditor1",
            "GET, /api/v1/admin/access-log, admin1",
            "GET, /api/v1/admin/dead-letters, admin1",
            "GET, /api/v1/admin/unrecognised-events, admin1",
            "POST, /api/v1/admin/dead-letters/987654321/retry, admin1"})
    void everyEndpointAnswersItsRoleAndRefusesEveryOther(String method, String path, String allowed) {
        for (String user : List.of("auditor1", "admin1", "moderator1", "moderator2", "lead1", "reviewer1",
                "kaspersky")) {
            Api.Response response = api.send(user, method, path, "application/json",
                    method.equals("POST") ? new byte[0] : null);
            if (user.equals(allowed)) {
                assertThat(response.status()).as("%s %s as %s", method, path, user).isIn(200, 404);
            } else {
                assertThat(response.status()).as("%s %s as %s", method, path, user).isEqualTo(403);
                assertThat(response.isProblem()).isTrue();
            }
        }
    }
}
