package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.moderation.advertiser.AdvertiserProjection;
import dev.verdict.testkit.Api;
import dev.verdict.testkit.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What an operator gets from moderation-service, read the way their tools read it: the Prometheus scrape after real
 * commands, the health groups, the OpenAPI document and Swagger UI, and the JSON log lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsIT extends LiveModerationService {

    private static final String POLICY_ID = "ads/unacceptable-business-practices";

    private PrometheusText scrape() {
        Api.Response response = api.get(null, "/actuator/prometheus");
        assertThat(response.status()).as("the scrape needs no credentials").isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        PrometheusText text = PrometheusText.parse(response.body());
        try {
            // Kept for whoever checks the dashboard by hand: the figures this service really exposes.
            Files.writeString(Path.of("target", "moderation-service.prometheus.txt"), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return text;
    }

    /** Bans the advertiser from advertising; returns the decision's id. */
    private String banFromAdvertising(String advertiser) {
        Api.Response banned = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""));
        assertThat(banned.status()).as(banned.body()).isEqualTo(201);
        return json(banned.body()).path("decisionId").asText();
    }

    @Test
    void committedDecisionsAppealsAndTheTimeToDecideAreCountedAndRejectedCommandsAreNot() {
        PrometheusText before = scrape();
        String advertiser = register("metrics-" + UUID.randomUUID().toString().substring(0, 8));
        String decisionId = banFromAdvertising(advertiser);
        assertThat(api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\"").replace("\"4.2\"", "\"9.9\"")).status()).as("rejected").isEqualTo(422);
        Api.Response appeal = api.post("moderator2", "/api/v1/advertisers/" + advertiser + "/decisions/" + decisionId
                + "/appeals", "{\"statement\": \"No rule was named.\"}");
        assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
        String appealId = json(appeal.body()).path("appealId").asText();
        Api.Response ruling = api.post("reviewer1", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId
                + "/decision", "{\"outcome\": \"OVERTURNED\", \"rationale\": \"no clause applies\"}");
        assertThat(ruling.status()).as(ruling.body()).isEqualTo(201);

        PrometheusText after = scrape();
        assertThat(after.sum("verdict_decisions_total", "kind", "BAN", "policy", POLICY_ID)
                - before.sum("verdict_decisions_total", "kind", "BAN", "policy", POLICY_ID))
                .as("one ban counted, the refused one not").isEqualTo(1.0);
        assertThat(after.has("verdict_decisions_total", "application", "moderation-service")).isTrue();
        assertThat(after.sum("verdict_appeals_filed_total") - before.sum("verdict_appeals_filed_total"))
                .isEqualTo(1.0);
        assertThat(after.sum("verdict_appeals_decided_total", "outcome", "OVERTURNED")
                - before.sum("verdict_appeals_decided_total", "outcome", "OVERTURNED")).isEqualTo(1.0);
        assertThat(after.sum("verdict_appeal_decision_time_seconds_count", "outcome", "OVERTURNED")
                - before.sum("verdict_appeal_decision_time_seconds_count", "outcome", "OVERTURNED")).isEqualTo(1.0);
        assertThat(after.sum("verdict_appeal_decision_time_seconds_bucket", "outcome", "OVERTURNED", "le", "600.0"))
                .as("decided within ten minutes of filing: in the first bucket")
                .isGreaterThanOrEqualTo(1.0);
        assertThat(after.sum("verdict_appeal_decision_time_seconds_bucket", "outcome", "OVERTURNED", "le",
                "1.58112E7")).as("the six-month bucket exists").isGreaterThanOrEqualTo(1.0);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void axonsOwnMetricsAreInTheScrape() {
        // Axon's auto-configuration adds a SimpleMeterRegistry when it runs before Boot's (its ordering names Boot 3
        // classes): then every meter would be kept twice. Boot's Prometheus registry must be the only one.
        assertThat(context.getBeansOfType(io.micrometer.core.instrument.MeterRegistry.class).values())
                .extracting(registry -> registry.getClass().getSimpleName())
                .doesNotContain("SimpleMeterRegistry");
        register("axon-" + UUID.randomUUID().toString().substring(0, 8));
        PrometheusText text = scrape();
        List<String> axon = new ArrayList<>(text.names().stream()
                .filter(name -> name.startsWith("commandBus") || name.startsWith("eventProcessor")
                        || name.startsWith("eventBus") || name.startsWith("eventStore")).toList());
        assertThat(axon).as(text.names().toString()).isNotEmpty();
        assertThat(text.sum("commandBus_successCounter_total")).as(text.names().toString()).isPositive();
        assertThat(text.has("eventProcessor_latency", "processorName", AdvertiserProjection.PROCESSING_GROUP))
                .as(text.names().toString()).isTrue();
    }

    @Test
    void theAdvertisersCacheShowsItsMissesAndTheEventsItHoldsAgainstItsBound() {
        PrometheusText before = scrape();
        banFromAdvertising(register("cache-" + UUID.randomUUID().toString().substring(0, 8)));

        PrometheusText after = scrape();
        assertThat(after.sum("cache_gets_total", "cache", "advertisers", "result", "hit")
                - before.sum("cache_gets_total", "cache", "advertisers", "result", "hit"))
                .as("the decision found the advertiser its registration cached").isGreaterThanOrEqualTo(1.0);
        assertThat(after.sum("verdict_aggregate_cache_events", "cache", "advertisers"))
                .as("its two events, and four for itself, at least").isGreaterThanOrEqualTo(6.0);
        assertThat(after.sum("verdict_aggregate_cache_events_max", "cache", "advertisers")).isEqualTo(400_000.0);
    }

    @Test
    void readinessAsksThePoolLivenessAsksNothingOutsideAndHealthShowsKafka() {
        JsonNode readiness = json(api.get(null, "/actuator/health/readiness").body());
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").has("db")).as(readiness.toString()).isTrue();
        assertThat(readiness.path("components").has("kafka"))
                .as("commands are accepted while Kafka is away: not a readiness matter here").isFalse();
        JsonNode liveness = json(api.get(null, "/actuator/health/liveness").body());
        assertThat(liveness.path("components").size()).as(liveness.toString()).isEqualTo(1);
        assertThat(liveness.path("components").has("livenessState")).isTrue();
        JsonNode dependencies = json(api.get(null, "/actuator/health/dependencies").body());
        assertThat(dependencies.path("components").path("kafka").path("status").asText()).isEqualTo("UP");
        assertThat(dependencies.path("components").path("db").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void theOpenApiDocumentListsTheCommandsTheirProblemsAndBothSecuritySchemes() {
        Api.Response response = api.get(null, "/v3/api-docs");
        assertThat(response.status()).as("readable without credentials").isEqualTo(200);
        JsonNode document = json(response.body());
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("paths").has("/api/v1/advertisers/{advertiserId}/decisions")).isTrue();
        assertThat(document.path("paths").has("/api/v1/advertisers/{advertiserId}/appeals/{appealId}/decision"))
                .isTrue();
        assertThat(document.path("paths").has("/api/v1/policies")).isTrue();
        JsonNode problem = document.path("components").path("schemas").path("Problem");
        assertThat(problem.path("properties").fieldNames()).toIterable()
                .contains("type", "title", "status", "detail", "instance", "code", "errors");
        assertThat(document.path("components").path("securitySchemes").path("basic").path("scheme").asText())
                .isEqualTo("basic");
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("bearerFormat").asText())
                .isEqualTo("JWT");

        JsonNode issue = document.path("paths").path("/api/v1/advertisers/{advertiserId}/decisions").path("post");
        for (String status : List.of("400", "401", "403", "404", "409", "412", "422")) {
            assertThat(issue.path("responses").path(status).path("content").path("application/problem+json")
                    .path("schema").path("$ref").asText()).as(status).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(issue.path("parameters").findValuesAsText("name")).contains("If-Match", "Idempotency-Key");
        document.path("paths").forEach(item -> item.forEach(operation -> operation.path("responses").fields()
                .forEachRemaining(entry -> {
                    if (entry.getKey().startsWith("4")) {
                        assertThat(entry.getValue().path("content").has("application/problem+json"))
                                .as("%s %s", operation.path("operationId"), entry.getKey()).isTrue();
                    }
                })));
    }

    @Test
    void swaggerUiIsServedFromTheJarWithoutAnythingFromOutside() {
        Api.Response page = api.get(null, "/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("https://", "http://");
        Api.Response bundle = api.get(null, "/swagger-ui/swagger-ui-bundle.js");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        Api.Response initializer = api.get(null, "/swagger-ui/swagger-initializer.js");
        assertThat(initializer.status()).isEqualTo(200);
        Api.Response config = api.get(null, "/v3/api-docs/swagger-config");
        assertThat(json(config.body()).path("url").asText()).isEqualTo("/v3/api-docs");
    }

    @Test
    void aCommandsLogLinesAreJsonWithItsCorrelationAndTrace(CapturedOutput output) {
        String advertiser = "logs-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response response = api.post("moderator1", "/api/v1/advertisers", """
                {"advertiserId": "%s", "legalName": "Logs Ltd", "country": "DE", "accountType": "BUSINESS"}
                """.formatted(advertiser), "X-Correlation-Id", "case-logs-1",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(response.status()).as(response.body()).isEqualTo(201);

        JsonNode line = output.getOut().lines().filter(l -> l.startsWith("{") && l.contains(advertiser))
                .map(LiveModerationService::json).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON log line about " + advertiser + " in:\n" + output));
        assertThat(line.path("correlationId").asText()).isEqualTo("case-logs-1");
        assertThat(line.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(line.path("commandId").asText()).isEqualTo(json(response.body()).path("commandId").asText());
        assertThat(line.path("service").path("name").asText()).isEqualTo("moderation-service");
    }

    @Test
    void aCommandForAnUnknownAdvertiserIsAnsweredWithoutAStackTraceInTheLog(CapturedOutput output) {
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response response = api.post("moderator1", "/api/v1/advertisers/" + nobody + "/notes",
                "{\"text\": \"a note about nobody\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(json(response.body()).path("code").asText()).isEqualTo("advertiser-not-found");

        assertThat(output.getAll().lines().filter(l -> l.contains(nobody)))
                .as("a client's unknown advertiser is its mistake, not the service's warning")
                .noneMatch(l -> l.contains("Exception occurred while trying to load"));
    }
}
