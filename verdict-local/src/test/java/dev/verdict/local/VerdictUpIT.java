package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.contract.ChainVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user journey end to end, on the stack {@code ./verdict up} starts: durable PostgreSQL 17 and a KRaft broker
 * from Maven artifacts, both services as their own processes from their built jars. HTTP command, event store,
 * Kafka, audit database, HTTP history; then a restart on the same data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerdictUpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A stack of its own on empty data, which WebPagesIT then uses too (SharedStack stops it at the end). */
    @RegisterExtension
    static final SharedStack.Use STACK = SharedStack.useFresh();
    private static StackConfig config;

    @BeforeAll
    static void startStack() {
        config = STACK.get().config();
    }

    @Test
    @Order(1)
    void startsEveryComponentWithAProgressLineAndDurablePostgres() throws Exception {
        String progress = STACK.get().output();
        assertThat(progress).contains("[ok] PostgreSQL 17", "[ok] Kafka (KRaft)", "[ok] moderation-service",
                "[ok] audit-service", "Verdict is up in");
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl("moderation"), Postgres.USER,
                Postgres.PASSWORD)) {
            for (String setting : List.of("fsync", "synchronous_commit")) {
                try (ResultSet rs = connection.createStatement().executeQuery("SHOW " + setting)) {
                    rs.next();
                    assertThat(rs.getString(1)).as(setting).isEqualTo("on");
                }
            }
        }
        assertThat(Files.size(config.logs().resolve("kafka.log"))).as("the broker logs to its file").isPositive();
        for (String service : List.of("moderation-service", "audit-service")) {
            assertThat(Files.readString(config.logs().resolve(service + ".log"))).as(service)
                    .doesNotContain("anonymous usage", "You have not configured AxonIQ Console",
                            "generated security password", "Using generated");
        }
    }

    @Test
    @Order(2)
    void theDemoFilesTheMotivatingCaseAndTheAuditHistoryShowsItChained() throws Exception {
        Demo demo = new Demo(config, STACK.get().progress(), Clock.systemUTC());
        Demo.Filed filed = demo.file();
        assertThat(filed.alreadyFiled()).isFalse();

        assertThat(demo.awaitAudited(Demo.EVENTS, Duration.ofSeconds(20))).isEqualTo(Demo.EVENTS);
        List<JsonNode> items = history(Demo.ADVERTISER);
        assertThat(items).extracting(e -> e.path("eventType").asText())
                .containsExactly("AdvertiserRegistered", "AdvertiserBanned", "AppealFiled", "AppealUpheld");
        assertThat(items.get(3).path("actor").path("id").asText()).isEqualTo("reviewer1");
        JsonNode ban = items.get(1);
        assertThat(ban.path("payload").path("decisionId").asText()).isEqualTo(filed.decisionId());
        assertThat(ban.path("payload").path("terms").path("scope").toString()).isEqualTo("[\"ADVERTISING\"]");
        assertThat(ban.path("payload").path("terms").path("policy").path("clause").asText()).isEqualTo(Demo.CLAUSE);
        assertThat(ban.path("payload").path("terms").path("evidence").get(0).path("sha256").asText())
                .isEqualTo(Demo.sha256(Demo.NOTICE));
        assertThat(ban.path("actor").path("id").asText()).isEqualTo("moderator1");
        JsonNode appeal = items.get(2);
        assertThat(appeal.path("actor").path("id").asText()).isEqualTo("kaspersky");
        assertThat(appeal.path("actor").path("roles").toString()).isEqualTo("[\"ADVERTISER\"]");
        assertThat(appeal.path("payload").path("appealId").asText()).isEqualTo(filed.appealId());

        ChainVerifier chain = new ChainVerifier();
        items.forEach(chain::accept);
        assertThat(chain.complete(Demo.EVENTS)).isTrue();
    }

    @Test
    @Order(3)
    void theAuditorSeesTheDecisionTheStateTheChainAndTheSearch() throws Exception {
        var audit = new dev.verdict.testkit.Api(config.auditUrl());
        String decisionId = history(Demo.ADVERTISER).get(1).path("payload").path("decisionId").asText();

        JsonNode dossier = JSON.readTree(audit.get("auditor1", "/api/v1/decisions/" + decisionId).body());
        assertThat(dossier.path("status").asText()).isEqualTo("IN_EFFECT");
        assertThat(dossier.path("terms").path("policy").path("clauseText").asText()).startsWith("Ads must not");
        assertThat(dossier.path("decided").path("by").asText()).isEqualTo("moderator1");
        assertThat(dossier.path("appeals").get(0).path("outcome").asText()).isEqualTo("UPHELD");
        assertThat(dossier.path("appeals").get(0).path("filed").path("by").asText()).isEqualTo("kaspersky");
        assertThat(dossier.path("appeals").get(0).path("ruled").path("by").asText()).isEqualTo("reviewer1");
        assertThat(dossier.path("events")).hasSize(3);

        JsonNode state = JSON.readTree(audit.get("auditor1", "/api/v1/advertisers/" + Demo.ADVERTISER + "/state")
                .body());
        assertThat(state.path("scopes").path("ADVERTISING").asText()).isEqualTo("BANNED");
        assertThat(state.path("scopes").path("ORGANIC").asText()).as("an ads-only ban").isEqualTo("ALLOWED");
        String beforeTheBan = java.time.Instant.now().minus(Duration.ofDays(3)).toString();
        JsonNode earlier = JSON.readTree(audit.get("auditor1", "/api/v1/advertisers/" + Demo.ADVERTISER
                + "/state?asOf=" + beforeTheBan).body());
        assertThat(earlier.path("scopes").path("ADVERTISING").asText()).isEqualTo("ALLOWED");

        JsonNode integrity = JSON.readTree(audit.get("auditor1", "/api/v1/advertisers/" + Demo.ADVERTISER
                + "/integrity").body());
        assertThat(integrity.path("valid").asBoolean()).isTrue();
        assertThat(integrity.path("events").asInt()).isEqualTo(Demo.EVENTS);

        var export = audit.get("auditor1", "/api/v1/exports/events.ndjson?advertiserId=" + Demo.ADVERTISER);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        Path exported = config.home().resolve("export.ndjson");
        Files.writeString(exported, export.body());
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        assertThat(new VerifyCommand(new PrintStream(report, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())).run(List.of("--file", exported.toString(), "--expect",
                Demo.ADVERTISER + "=" + Demo.EVENTS))).as(report.toString(StandardCharsets.UTF_8)).isZero();
        var csv = audit.get("auditor1", "/api/v1/exports/events.csv?advertiserId=" + Demo.ADVERTISER);
        assertThat(csv.body().split("\r\n")).hasSize(Demo.EVENTS + 1);
        assertThat(csv.body()).startsWith("eventId,eventType,schemaVersion,advertiserId,sequence");

        var statements = audit.get("auditor1", "/api/v1/exports/statements-of-reasons?advertiserId="
                + Demo.ADVERTISER);
        JsonNode statement = JSON.readTree(statements.body().lines().findFirst().orElseThrow());
        assertThat(statement.path("reportable").asBoolean()).as(statement.toString()).isTrue();
        assertThat(statement.path("statement").path("decision_provision").asText())
                .as("an ads-only ban is a partial termination of the service")
                .isEqualTo("DECISION_PROVISION_PARTIAL_TERMINATION");
        var tdbSchema = com.networknt.schema.JsonSchemaFactory.getInstance(
                com.networknt.schema.SpecVersion.VersionFlag.V202012).getSchema(Files.readString(config.repository()
                .resolve("audit-service/src/test/resources/dsa/tdb-statement.v2.schema.json")));
        assertThat(tdbSchema.validate(statement.path("statement").toString(),
                com.networknt.schema.InputFormat.JSON)).isEmpty();

        JsonNode search = JSON.readTree(audit.get("auditor1", "/api/v1/events?policy=" + Demo.POLICY
                + "&type=AdvertiserBanned").body());
        assertThat(search.path("items")).extracting(e -> e.path("payload").path("decisionId").asText())
                .contains(decisionId);
    }

    @Test
    @Order(4)
    void everyFigureTheDashboardQueriesIsInTheServicesScrapes() throws Exception {
        java.util.Set<String> dashboard = Dashboard.load().metrics();
        // The demo took a decision and ruled on an appeal; the lag gauges appear at their first refresh.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            java.util.Set<String> exposed = new java.util.TreeSet<>();
            for (String url : List.of(config.moderationUrl(), config.auditUrl())) {
                var scrape = new dev.verdict.testkit.Api(url).get(null, "/actuator/prometheus");
                assertThat(scrape.status()).as(url).isEqualTo(200);
                exposed.addAll(dev.verdict.testkit.PrometheusText.parse(scrape.body()).names());
            }
            assertThat(exposed).as("queried by docker/grafana/dashboards but exposed by neither service")
                    .containsAll(dashboard);
        });
        var audit = dev.verdict.testkit.PrometheusText.parse(new dev.verdict.testkit.Api(config.auditUrl())
                .get(null, "/actuator/prometheus").body());
        assertThat(audit.sum("verdict_audit_events_stored_total")).isGreaterThanOrEqualTo(Demo.EVENTS);
        var moderation = dev.verdict.testkit.PrometheusText.parse(new dev.verdict.testkit.Api(config.moderationUrl())
                .get(null, "/actuator/prometheus").body());
        assertThat(moderation.sum("verdict_appeals_decided_total", "outcome", "UPHELD")).isEqualTo(1.0);
    }

    @Test
    @Order(5)
    void aCommandToANewAdvertiserReachesTheAuditHistoryAndTheTopic() throws Exception {
        String advertiser = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        long sent = System.nanoTime();
        var response = new dev.verdict.testkit.Api(config.moderationUrl()).post("moderator1", "/api/v1/advertisers",
                "{\"advertiserId\":\"" + advertiser + "\",\"legalName\":\"E2E\",\"country\":\"NL\","
                        + "\"accountType\":\"PRIVATE\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        long accepted = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> historyStatus(advertiser) == 200);
        System.out.printf("e2e: 201 after %.0f ms, visible in the audit history %.0f ms after the 201%n",
                (accepted - sent) / 1e6, (System.nanoTime() - accepted) / 1e6);

        List<String> onTopic = readTopic(advertiser);
        assertThat(onTopic).hasSize(1);
        JsonNode envelope = JSON.readTree(onTopic.get(0));
        assertThat(envelope.path("eventType").asText()).isEqualTo("AdvertiserRegistered");
        assertThat(envelope.path("integrity").path("prevHash").asText()).isEqualTo("0".repeat(64));
        assertThat(JSON.writeValueAsString(history(advertiser).get(0))).isEqualTo(onTopic.get(0));
    }

    @Test
    @Order(6)
    void badInputIsRefusedThroughTheWholeStack() throws Exception {
        var moderation = new dev.verdict.testkit.Api(config.moderationUrl());
        var response = moderation.post("moderator1", "/api/v1/advertisers",
                "{\"advertiserId\":\"has spaces\",\"legalName\":\"\",\"country\":\"XX\",\"accountType\":\"BUSINESS\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("validation-failed");
        assertThat(historyStatus("has spaces".replace(" ", "%20"))).isEqualTo(404);
    }

    @Test
    @Order(7)
    void theVerifierReadsTheTopicAndFindsEveryChainValid() {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int status = new VerifyCommand(new PrintStream(report, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())).run(List.of("--bootstrap", config.kafkaBootstrap()));

        assertThat(status).as(report.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(report.toString(StandardCharsets.UTF_8))
                .containsPattern(Demo.ADVERTISER + "\\s+" + Demo.EVENTS + "\\s+0\\s+valid");
    }

    @Test
    @Order(8)
    void dataAndPendingDeadlinesSurviveARestartOfTheWholeStack() throws Exception {
        int before = history(Demo.ADVERTISER).size();
        var moderation = new dev.verdict.testkit.Api(config.moderationUrl());
        String suspended = "e2e-susp-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(moderation.post("moderator1", "/api/v1/advertisers", "{\"advertiserId\":\"" + suspended
                + "\",\"legalName\":\"Suspended Ltd\",\"country\":\"NL\",\"accountType\":\"BUSINESS\"}")
                .status()).isEqualTo(201);
        java.time.Instant now = java.time.Instant.now();
        var suspension = moderation.post("moderator1", "/api/v1/advertisers/" + suspended + "/decisions", """
                {"kind": "SUSPENSION", "scope": ["ADVERTISING"],
                 "policy": {"id": "%s", "version": "%s", "clause": "%s"},
                 "ground": "INCOMPATIBLE_CONTENT", "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
                 "statement": "Suspended for a short while.", "territorialScope": ["WORLDWIDE"],
                 "automatedDetection": false, "automatedDecision": "NOT_AUTOMATED",
                 "effectiveFrom": "%s", "expiresAt": "%s"}""".formatted(Demo.POLICY, Demo.POLICY_VERSION, Demo.CLAUSE,
                now.minusSeconds(60), now.plusSeconds(20)));
        assertThat(suspension.status()).as(suspension.body()).isEqualTo(201);
        STACK.get().restart();

        assertThat(history(Demo.ADVERTISER)).hasSize(before);
        Demo.Filed again = new Demo(config, STACK.get().progress(), Clock.systemUTC())
                .file();
        assertThat(again.alreadyFiled()).isTrue();
        // The suspension's end was scheduled in PostgreSQL before the restart; it fires after it, as a SYSTEM act.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> historyStatus(suspended) == 200 && history(suspended).size() == 3);
        JsonNode expired = history(suspended).get(2);
        assertThat(expired.path("eventType").asText()).isEqualTo("SuspensionExpired");
        assertThat(expired.path("actor").path("type").asText()).isEqualTo("SYSTEM");
        var appeal = new dev.verdict.testkit.Api(config.moderationUrl()).get("moderator1",
                "/api/v1/advertisers/" + Demo.ADVERTISER);
        assertThat(appeal.raw().headers().firstValue("ETag")).hasValue("\"" + (Demo.EVENTS - 1) + "\"");
    }

    private static int historyStatus(String advertiser) {
        return new dev.verdict.testkit.Api(config.auditUrl())
                .get("auditor1", "/api/v1/advertisers/" + advertiser + "/history").status();
    }

    private static List<JsonNode> history(String advertiser) throws IOException {
        var response = new dev.verdict.testkit.Api(config.auditUrl())
                .get("auditor1", "/api/v1/advertisers/" + advertiser + "/history");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(response.body()).path("items").forEach(items::add);
        return items;
    }

    /** What any Kafka client sees on the topic for one advertiser (the values as strings). */
    private static List<String> readTopic(String advertiser) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("moderation.advertiser-events.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (advertiser.equals(record.key())) {
                        values.add(record.value());
                    }
                });
            }
        }
        return values;
    }
}
