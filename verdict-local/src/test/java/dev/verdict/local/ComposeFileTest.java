package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so docker-compose.yml is checked against what the services actually read: pinned
 * images, the documented ports, and only environment variables that a service's configuration names.
 */
class ComposeFileTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::[^}]*)?}");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPOSITORY.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** The environment variables a service's application.yml reads. */
    private static Set<String> variablesReadBy(String module) throws IOException {
        String configuration = Files.readString(REPOSITORY.resolve(module).resolve("src/main/resources/application.yml"));
        Matcher matcher = PLACEHOLDER.matcher(configuration);
        return matcher.results().map(result -> result.group(1)).collect(Collectors.toSet());
    }

    @Test
    void everyImageIsPinnedToAVersion() throws IOException {
        services().forEach((name, service) -> {
            Object image = service.get("image");
            if (image != null) {
                assertThat(image.toString()).as(name).matches("[a-z0-9./-]+:v?[0-9][A-Za-z0-9._-]*")
                        .doesNotEndWith(":latest");
            }
        });
        for (String module : List.of("moderation-service", "audit-service")) {
            String from = Files.readAllLines(REPOSITORY.resolve(module).resolve("Dockerfile")).stream()
                    .filter(line -> line.startsWith("FROM ")).findFirst().orElseThrow();
            assertThat(from).as(module).matches("FROM [a-z0-9./-]+:[0-9][A-Za-z0-9._-]*");
        }
    }

    @ParameterizedTest
    @CsvSource({"postgres, 15432", "kafka, 9092", "moderation-service, 8081", "audit-service, 8082",
            "prometheus, 9090", "grafana, 3000"})
    void portsAreTheDocumentedOnes(String service, String hostPort) throws IOException {
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) services().get(service).get("ports");
        assertThat(ports).anyMatch(mapping -> mapping.startsWith(hostPort + ":"));
    }

    @ParameterizedTest
    @CsvSource({"moderation-service, VERDICT_MODERATION_PORT, 8081", "audit-service, VERDICT_AUDIT_PORT, 8082"})
    void theServicesAreBuiltFromTheirModulesAndReadOnlyVariablesTheyKnow(String module, String portVariable,
                                                                          String port) throws IOException {
        Map<String, Object> service = services().get(module);
        assertThat(service.get("build").toString()).isEqualTo("./" + module);
        assertThat(REPOSITORY.resolve(module).resolve("Dockerfile")).exists();

        @SuppressWarnings("unchecked")
        Map<String, Object> environment = (Map<String, Object>) service.get("environment");
        Set<String> known = variablesReadBy(module);
        assertThat(known).contains(portVariable, "VERDICT_KAFKA_BOOTSTRAP_SERVERS", "VERDICT_DB_USER");
        environment.keySet().stream().filter(name -> !name.equals("SPRING_PROFILES_ACTIVE"))
                .forEach(name -> assertThat(known).as("%s sets %s", module, name).contains(name));
        assertThat(environment.get(portVariable).toString()).isEqualTo(port);
        assertThat(environment).containsKey(module.equals("audit-service") ? "VERDICT_AUDIT_DB_URL"
                : "VERDICT_MODERATION_DB_URL");
        assertThat(service).containsKey("healthcheck");
    }

    @Test
    void postgresIsDurableInComposeToo() throws IOException {
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) services().get("postgres").get("command");
        assertThat(command).contains("fsync=on", "synchronous_commit=on");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesBothServicesWhereComposeRunsThem() throws IOException {
        Map<String, Object> prometheus = services().get("prometheus");
        assertThat((List<String>) prometheus.get("volumes"))
                .contains("./docker/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        Map<String, Object> configuration = new Yaml().load(Files.readString(REPOSITORY
                .resolve("docker/prometheus/prometheus.yml")));
        Map<String, String> targets = new java.util.HashMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) configuration.get("scrape_configs")) {
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            List<String> jobTargets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0)
                    .get("targets");
            targets.put((String) job.get("job_name"), jobTargets.get(0));
        }
        assertThat(targets).containsOnly(Map.entry("moderation-service", "moderation-service:8081"),
                Map.entry("audit-service", "audit-service:8082"));
        Map<String, Map<String, Object>> services = services();
        targets.forEach((service, target) -> {
            String port = target.substring(target.indexOf(':') + 1);
            Map<String, Object> environment = (Map<String, Object>) services.get(service).get("environment");
            assertThat(environment.get(service.equals("audit-service") ? "VERDICT_AUDIT_PORT"
                    : "VERDICT_MODERATION_PORT").toString()).as(service).isEqualTo(port);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaIsProvisionedWithThePrometheusDataSourceAndTheDashboardInTheRepository() throws IOException {
        List<String> volumes = (List<String>) services().get("grafana").get("volumes");
        assertThat(volumes).contains("./docker/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./docker/grafana/dashboards:/etc/grafana/dashboards:ro");
        Map<String, Object> providers = new Yaml().load(Files.readString(REPOSITORY
                .resolve("docker/grafana/provisioning/dashboards/verdict.yml")));
        Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
        assertThat(((Map<String, Object>) provider.get("options")).get("path")).isEqualTo("/etc/grafana/dashboards");
        Map<String, Object> datasources = new Yaml().load(Files.readString(REPOSITORY
                .resolve("docker/grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(REPOSITORY.resolve("docker/grafana/dashboards/verdict-operations.json")).exists();
    }

    @ParameterizedTest
    @CsvSource({"moderation-service, 8081", "audit-service, 8082"})
    @SuppressWarnings("unchecked")
    void composeWaitsForReadinessNotJustAnAnswer(String service, String port) throws IOException {
        List<String> test = (List<String>) ((Map<String, Object>) services().get(service).get("healthcheck"))
                .get("test");
        assertThat(String.join(" ", test)).contains("bash", "/dev/tcp/localhost/" + port,
                "/actuator/health/readiness", "' 200 '");
    }
}
