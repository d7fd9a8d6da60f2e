package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard's shape. Whether every metric it queries is one the services really expose is checked
 * against their live scrapes in {@link VerdictUpIT}.
 */
class DashboardTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theQueryParserFindsMetricsAndNothingElse() {
        assertThat(Dashboard.metricsOf("histogram_quantile(0.9, sum by (le) (rate(a_seconds_bucket{x=\"y\"}[1d])))"))
                .containsExactly("a_seconds_bucket");
        assertThat(Dashboard.metricsOf("max(x_done) / clamp_min(max(x_target), 1) * 60"))
                .containsExactly("x_done", "x_target");
        assertThat(Dashboard.metricsOf("sum by (kind, policy) (increase(verdict_decisions_total[24h]))"))
                .containsExactly("verdict_decisions_total");
    }

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> provisioned = (Map<String, Object>) ((java.util.List<?>) ((Map<String, Object>) new Yaml()
                .load(Files.readString(REPOSITORY.resolve("docker/grafana/provisioning/datasources/prometheus.yml"))))
                .get("datasources")).get(0);
        Dashboard dashboard = Dashboard.load();
        assertThat(dashboard.panels()).isNotEmpty();
        for (JsonNode panel : dashboard.panels()) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo(provisioned.get("uid"));
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            panel.path("targets").forEach(target -> assertThat(Dashboard.metricsOf(target.path("expr").asText()))
                    .as("%s: %s", panel.path("title").asText(), target.path("expr").asText()).isNotEmpty());
        }
    }

    @Test
    void theDashboardShowsEveryFigureTheOperatorsAskedFor() throws IOException {
        assertThat(Dashboard.load().metrics()).contains(
                "verdict_decisions_total",
                "verdict_appeals_filed_total",
                "verdict_appeals_decided_total",
                "verdict_appeal_decision_time_seconds_bucket",
                "verdict_audit_consumer_lag_records",
                "verdict_audit_consumer_lag_seconds",
                "verdict_audit_events_stored_total",
                "verdict_audit_dead_letters_total",
                "verdict_audit_replay_done",
                "verdict_audit_replay_target",
                "commandBus_successCounter_total",
                "eventProcessor_latency");
    }
}
