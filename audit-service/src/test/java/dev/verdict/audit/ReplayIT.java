package dev.verdict.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.EventJson;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

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
}
