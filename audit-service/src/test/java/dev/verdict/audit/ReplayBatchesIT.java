package dev.verdict.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The replay's bulk path (one binary COPY per poll into the new table, its indexes built after the load, the swap
 * locking readers out only for the renames), with polls of 7 records so that a history of a hundred events takes many
 * batches: every column of every event is stored as live ingestion stored it (the contract's samples with the hardest
 * values: quotes, line breaks, non-ASCII letters, nanoseconds, times before the Gregorian calendar and at PostgreSQL's
 * ends); an event re-sent in a later batch is stored once, as first read; an event of a type this service does not
 * know is still stored verbatim and listed; records that are not envelopes, and envelopes that cannot be stored, stay
 * dead letters and nothing more (one the table refuses no longer fails the whole replay); events published while the
 * replay runs are in the history after the swap; every chain still verifies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "verdict.replay.batch-size=7")
@ActiveProfiles("local")
class ReplayBatchesIT {

    private static final String TOPIC = "replay-batches-it-" + UUID.randomUUID();

    /** The approved samples of the contract, one of each event type and version. */
    private static final List<String> SAMPLES = List.of("AdvertiserRegistered.v1", "AdvertiserWarned.v1",
            "AdvertiserRestricted.v1", "AdvertiserSuspended.v1", "AdvertiserBanned.v1", "EvidenceAttached.v1",
            "NoteAdded.v1", "AppealFiled.v1", "AppealFiled.v2", "AppealUpheld.v1", "AppealOverturned.v1",
            "AppealModified.v1", "AppealWithdrawn.v1", "DecisionReversed.v1", "SuspensionExpired.v1");

    /** Every stored column but the arrival order and the time of arrival, of the events published before a replay. */
    private static final String COLUMNS_AS_TEXT = "SELECT (event_id, advertiser_id, sequence, event_type, "
            + "schema_version, occurred_at, effective_at, actor_id, envelope, topic_partition, topic_offset, "
            + "understood, policy_id, decision_id, replacement_decision_id)::text FROM audit_event "
            + "WHERE advertiser_id NOT LIKE 'b-meanwhile-%' ORDER BY event_id";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws Exception {
        RealServers.registerDataSource("audit_replay_batches", registry::add);
        registry.add("verdict.ingest.bootstrap-servers", RealServers::kafkaBootstrapServers);
        registry.add("verdict.ingest.topic", () -> TOPIC);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", RealServers.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private Api api;

    private int historySize(String advertiser) {
        Api.Response response = api.get("auditor1", "/api/v1/advertisers/" + advertiser + "/history?limit=1000");
        try {
            return response.status() == 404 ? 0 : EventJson.mapper().readTree(response.body()).path("items").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode json(Api.Response response) {
        try {
            return EventJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }

    @Test
    void aReplayInManyBatchesStoresEachEventOnceKeepsWhatItCannotReadAndMissesNothingPublishedMeanwhile()
            throws Exception {
        api = new Api("http://localhost:" + port);
        List<String> advertisers = List.of("b-" + UUID.randomUUID(), "b-" + UUID.randomUUID(), "b-" + UUID.randomUUID());
        String knighted = advertisers.get(0);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            Map<String, RecordMetadata> original = new java.util.HashMap<>();
            Map<String, RecordMetadata> resent = new java.util.HashMap<>();
            Map<String, String> resentIds = new java.util.HashMap<>();
            List<String> refusedIds = new java.util.ArrayList<>();
            for (String advertiser : advertisers) {
                List<String> chain = AuditServiceIT.chain(advertiser, 30);
                for (int i = 0; i < chain.size(); i++) {
                    RecordMetadata sent = send(producer, advertiser, chain.get(i));
                    if (i == 3) {
                        original.put(advertiser, sent);
                    }
                }
                send(producer, advertiser, "not an envelope");
                // An envelope with a time PostgreSQL cannot store, which this service does not read, or with a
                // value the table refuses (an event type longer than its 128 characters, a NUL in a text): live
                // ingestion makes it a dead letter, and a replay leaves it out.
                ObjectNode refused = (ObjectNode) EventJson.mapper().readTree(chain.get(5));
                refused.put("eventId", UUID.randomUUID().toString());
                if (advertiser.equals(advertisers.get(1))) {
                    refused.put("occurredAt", "+300000-01-01T00:00:00Z");
                } else if (advertiser.equals(advertisers.get(2))) {
                    ((ObjectNode) refused.get("actor")).put("id", "mallory\u0000"); // text cannot hold NUL
                } else {
                    refused.put("eventType", "Advertiser" + "Warned".repeat(30));
                }
                refusedIds.add(refused.path("eventId").asText());
                send(producer, advertiser, HashChain.canonicalTextOf(refused));
                if (advertiser.equals(advertisers.get(0))) {
                    // Too large for an index entry: not read (a replay builds its indexes after the load, and the
                    // row would fail the whole rebuilt table there).
                    ObjectNode large = (ObjectNode) EventJson.mapper().readTree(chain.get(6));
                    large.put("eventId", UUID.randomUUID().toString());
                    java.util.Random random = new java.util.Random(11);
                    StringBuilder actor = new StringBuilder();
                    for (int i = 0; i < 6_000; i++) {
                        actor.append((char) ('a' + random.nextInt(26)));
                    }
                    ((ObjectNode) large.get("actor")).put("id", actor.toString());
                    refusedIds.add(large.path("eventId").asText());
                    send(producer, advertiser, HashChain.canonicalTextOf(large));
                }
                // The re-send comes more than a poll of 7 records after the original: another batch.
                resent.put(advertiser, send(producer, advertiser, chain.get(3)));
                resentIds.put(advertiser, EventJson.mapper().readTree(chain.get(3)).path("eventId").asText());
            }
            // Every approved sample, as one advertiser's events, with the values that are hardest to copy: an id
            // with quotes, a comma, a line break and non-ASCII letters; times with nanoseconds (half a microsecond
            // among them, where rounding must agree), just before PostgreSQL's epoch, before the Gregorian calendar,
            // and the first and last microseconds PostgreSQL can store: an event keeps the times it was recorded with.
            String awkward = "c-\"quoted\", comma\nline ü-" + UUID.randomUUID();
            List<String> times = List.of("2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00.000000500Z",
                    "1999-12-31T23:59:59.999999500Z", "0001-01-01T00:00:00Z", "-4712-01-01T00:00:00Z",
                    "+294276-12-31T23:59:59.999999Z", "2026-03-01T10:00:00.000001500Z");
            int columnsEvents = 0;
            for (String sample : SAMPLES) {
                ObjectNode event = (ObjectNode) EventJson.mapper().readTree(
                        Envelope.class.getResourceAsStream("/samples/" + sample + ".json"));
                event.put("eventId", UUID.randomUUID().toString());
                event.put("advertiserId", awkward);
                event.put("sequence", columnsEvents);
                event.put("occurredAt", times.get(columnsEvents % times.size()));
                event.put("effectiveAt", times.get((columnsEvents + 1) % times.size()));
                send(producer, awkward, HashChain.canonicalTextOf(event));
                columnsEvents++;
            }
            ObjectNode unknown = (ObjectNode) EventJson.mapper().readTree(AuditServiceIT.chain(knighted, 31).get(30));
            unknown.put("eventType", "AdvertiserKnighted");
            send(producer, knighted, HashChain.canonicalTextOf(unknown));
            await().atMost(Duration.ofSeconds(30)).until(() -> historySize(advertisers.get(1)) == 30
                    && historySize(advertisers.get(2)) == 30 && historySize(knighted) == 31
                    && jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE advertiser_id = ?", Long.class,
                    awkward) == SAMPLES.size());
            List<String> columnsBefore = jdbc.queryForList(COLUMNS_AS_TEXT, String.class);
            long deadLetters = jdbc.queryForObject("SELECT count(*) FROM unreadable_record", Long.class);
            Map<String, Boolean> understoodBefore = understood(advertisers);
            assertThat(deadLetters).as("three records that are not envelopes, four envelopes refused").isEqualTo(7);

            // Events keep being published while the replay runs; each must be in the history after the swap.
            String meanwhile = "b-meanwhile-" + UUID.randomUUID();
            List<String> meanwhileChain = AuditServiceIT.chain(meanwhile, 400);
            AtomicBoolean replaying = new AtomicBoolean(true);
            CompletableFuture<Integer> publishing = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                while (sent < meanwhileChain.size() && (replaying.get() || sent < 20)) {
                    send(producer, meanwhile, meanwhileChain.get(sent++));
                }
                return sent;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> historySize(meanwhile) > 0);

            Api.Response started = api.send("admin1", "POST", "/api/v1/admin/replay", null, null);
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String replayId = json(started).path("replayId").asText();
            JsonNode run = await().atMost(Duration.ofSeconds(120)).until(() -> json(api.get("admin1",
                    "/api/v1/admin/replay/" + replayId)), status -> !status.path("status").asText().equals("RUNNING"));
            replaying.set(false);
            int published = publishing.get();

            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("DONE");
            assertThat(run.path("equal").asBoolean()).as(run.toString()).isTrue();
            assertThat(run.path("swapMillis").isIntegralNumber()).as(run.toString()).isTrue();
            assertThat(run.path("lockMillis").asLong()).as("readers wait for the renames only, a part of the swap")
                    .isLessThanOrEqualTo(run.path("swapMillis").asLong());
            await().atMost(Duration.ofSeconds(30)).until(() -> historySize(meanwhile) == published);

            assertThat(jdbc.queryForList(COLUMNS_AS_TEXT, String.class)).as("every column of every event as live "
                    + "ingestion stored it").isEqualTo(columnsBefore).hasSize(91 + SAMPLES.size());
            for (String advertiser : advertisers) {
                assertThat(historySize(advertiser)).isEqualTo(advertiser.equals(knighted) ? 31 : 30);
                assertThat(jdbc.queryForList("SELECT topic_offset FROM audit_event WHERE event_id = ?::uuid",
                        Long.class, resentIds.get(advertiser))).as("the re-sent event is stored once, as first read")
                        .containsExactly(original.get(advertiser).offset())
                        .doesNotContain(resent.get(advertiser).offset());
            }
            JsonNode knightedChain = json(api.get("auditor1", "/api/v1/advertisers/" + knighted + "/integrity"));
            assertThat(knightedChain.path("firstBrokenSequence").asLong()).as("its 30 events still verify; the "
                    + "unknown one, made up by this test, does not").isEqualTo(30);
            for (String advertiser : List.of(advertisers.get(1), advertisers.get(2), meanwhile)) {
                JsonNode integrity = json(api.get("auditor1", "/api/v1/advertisers/" + advertiser + "/integrity"));
                assertThat(integrity.path("valid").asBoolean()).as(integrity.toString()).isTrue();
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE event_id::text = ANY (?)",
                    Long.class, (Object) refusedIds.toArray(new String[0]))).as("what the table refuses is left out, "
                    + "and the rest of its batch is stored").isZero();
            assertThat(understood(advertisers)).as("what this service understands, and what it does not, as before")
                    .isEqualTo(understoodBefore).containsValue(false).hasSize(91);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM unreadable_record", Long.class))
                    .as("a replay sends nothing to the dead letters again").isEqualTo(deadLetters);
            assertThat(jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_event'",
                    String.class)).as("every index of the migrations, under its name, on the new table")
                    .containsExactlyInAnyOrder("audit_event_pkey", "audit_event_advertiser_sequence",
                            "audit_event_not_understood", "audit_event_audit_seq", "audit_event_type_seq",
                            "audit_event_actor_seq", "audit_event_policy_seq", "audit_event_decision",
                            "audit_event_replacement");
        }
    }

    /** Each stored event of these advertisers, with whether this service understands it. */
    private Map<String, Boolean> understood(List<String> advertisers) {
        Map<String, Boolean> understood = new java.util.HashMap<>();
        jdbc.query("SELECT event_id, understood FROM audit_event WHERE advertiser_id = ANY (?)", rs -> {
            understood.put(rs.getString(1), rs.getBoolean(2));
        }, (Object) advertisers.toArray(new String[0]));
        return understood;
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(TOPIC, key, value.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
