package dev.verdict.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.audit.replay.ReplayService;
import dev.verdict.contract.EventJson;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * A replay rebuilds the history from offset 0 into a new table while readers keep reading, swaps it in, and the
 * rebuilt content equals the live one (digests over every event's id and envelope); ingestion goes on after it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("local")
class ReplayIT {

    private static final String TOPIC = "replay-it-" + UUID.randomUUID();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws Exception {
        RealServers.registerDataSource("audit_replay", registry::add);
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

    @Autowired
    DataSource dataSource;

    @Autowired
    ReplayService replays;

    private int historySize(Api api, String advertiser) {
        Api.Response response = api.get("auditor1", "/api/v1/advertisers/" + advertiser + "/history?limit=1000");
        try {
            return response.status() == 404 ? 0 : EventJson.mapper().readTree(response.body()).path("items").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReplayRebuildsAnEqualHistoryWithoutStoppingIngestion() throws Exception {
        Api api = new Api("http://localhost:" + port);
        List<String> advertisers = List.of("r-" + UUID.randomUUID(), "r-" + UUID.randomUUID(), "r-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (String advertiser : advertisers) {
                List<String> chain = AuditServiceIT.chain(advertiser, 40);
                for (String envelope : chain) {
                    producer.send(new ProducerRecord<>(TOPIC, advertiser, envelope.getBytes(StandardCharsets.UTF_8)));
                }
                producer.send(new ProducerRecord<>(TOPIC, advertiser, chain.get(3).getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(TOPIC, advertiser, "not an envelope".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> advertisers.stream()
                    .allMatch(advertiser -> historySize(api, advertiser) == 40));

            Api.Response started = api.send("admin1", "POST", "/api/v1/admin/replay", null, null);
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String replayId = EventJson.mapper().readTree(started.body()).path("replayId").asText();
            assertThat(api.send("auditor1", "POST", "/api/v1/admin/replay", null, null).status()).isEqualTo(403);

            JsonNode run = await().atMost(Duration.ofSeconds(60)).until(() -> EventJson.mapper().readTree(
                    api.get("admin1", "/api/v1/admin/replay/" + replayId).body()),
                    status -> !status.path("status").asText().equals("RUNNING"));
            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("DONE");
            assertThat(run.path("total").asLong()).isEqualTo(3 * 42);
            assertThat(run.path("done").asLong()).isGreaterThanOrEqualTo(3 * 42);
            assertThat(run.path("digestRebuilt").asText()).isEqualTo(run.path("digestLive").asText());
            assertThat(run.path("equal").asBoolean()).isTrue();
            assertThat(run.path("digestLive").asText()).endsWith(":120");

            assertThat(jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_event'",
                    String.class)).as("the migrations' index names survive the swap")
                    .contains("audit_event_advertiser_sequence", "audit_event_audit_seq", "audit_event_decision");

            String after = "r-after-" + UUID.randomUUID();
            AuditServiceIT.chain(after, 2).forEach(envelope -> producer.send(new ProducerRecord<>(TOPIC, after,
                    envelope.getBytes(StandardCharsets.UTF_8))));
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> historySize(api, after) == 2);
            assertThat(historySize(api, advertisers.get(0))).isEqualTo(40);
        }
    }

    /**
     * Another instance's replay (here: another session holding the replay's advisory lock, as a running replay's
     * does) keeps this one from starting, and keeps a run it has in {@code RUNNING} from being called abandoned;
     * once no session holds the lock, a run still {@code RUNNING} was left by an instance that stopped: its status
     * says so (the endpoint marks it failed), and so does the check at start-up.
     */
    @Test
    void oneReplayRunsAtATimeAcrossInstancesAndARunLeftByAStoppedInstanceIsMarkedFailed() throws Exception {
        Api api = new Api("http://localhost:" + port);
        UUID left = UUID.randomUUID();
        String running = "INSERT INTO replay_run (replay_id, status, started_at, total) VALUES (?, 'RUNNING', now(), 10)";
        jdbc.update(running, left);
        try (Connection otherInstance = dataSource.getConnection()) {
            // A replay of the other test may still be releasing the lock.
            await().atMost(Duration.ofSeconds(30)).until(() -> lock(otherInstance, "pg_try_advisory_lock"));
            jdbc.execute("CREATE TABLE audit_event_rebuild (LIKE audit_event)"); // the other's partial rebuild

            Api.Response refused = api.send("admin1", "POST", "/api/v1/admin/replay", null, null);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(EventJson.mapper().readTree(refused.body()).path("code").asText()).isEqualTo("replay-running");
            assertThat(status(api, left).path("status").asText()).isEqualTo("RUNNING");
            assertThat(replays.markAbandoned()).as("a run is going on elsewhere: nothing is abandoned").isZero();
            assertThat(jdbc.queryForObject("SELECT to_regclass('audit_event_rebuild') IS NOT NULL", Boolean.class))
                    .as("the running replay's table is left alone").isTrue();

            assertThat(lock(otherInstance, "pg_advisory_unlock")).isTrue();
        }
        JsonNode abandoned = status(api, left);
        assertThat(abandoned.path("status").asText()).as(abandoned.toString()).isEqualTo("FAILED");
        assertThat(abandoned.path("error").asText()).isEqualTo(ReplayService.ABANDONED);
        assertThat(abandoned.path("finishedAt").isNull()).isFalse();
        assertThat(jdbc.queryForObject("SELECT to_regclass('audit_event_rebuild') IS NULL", Boolean.class))
                .as("the abandoned run's partial table is dropped").isTrue();

        UUID leftAgain = UUID.randomUUID();
        jdbc.update(running, leftAgain);
        assertThat(replays.markAbandoned()).as("the check at start-up").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status FROM replay_run WHERE replay_id = ?", String.class, leftAgain))
                .isEqualTo("FAILED");
        assertThat(replays.markAbandoned()).isZero();
    }

    private static boolean lock(Connection connection, String function) throws Exception {
        try (var statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, ReplayService.LOCK_KEY);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static JsonNode status(Api api, UUID replayId) throws Exception {
        Api.Response response = api.get("admin1", "/api/v1/admin/replay/" + replayId);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }
}
