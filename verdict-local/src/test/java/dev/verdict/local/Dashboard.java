package dev.verdict.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The provisioned Grafana dashboard as its tests read it: its panels' PromQL and the metric names they query. */
final class Dashboard {

    static final Path FILE = Path.of("..").toAbsolutePath().normalize()
            .resolve("docker/grafana/dashboards/verdict-operations.json");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "Inf", "NaN");

    private final JsonNode json;

    private Dashboard(JsonNode json) {
        this.json = json;
    }

    static Dashboard load() throws IOException {
        return new Dashboard(new ObjectMapper().readTree(Files.readString(FILE)));
    }

    JsonNode json() {
        return json;
    }

    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        json.path("panels").forEach(panel -> {
            if (!"row".equals(panel.path("type").asText())) {
                panels.add(panel);
            }
        });
        return panels;
    }

    List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        panels().forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr")
                .asText())));
        return expressions;
    }

    /** The metric names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
    static Set<String> metricsOf(String expression) {
        String bare = expression
                .replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            String name = matcher.group();
            boolean function = bare.substring(matcher.end()).stripLeading().startsWith("(");
            boolean number = matcher.start() > 0 && Character.isDigit(bare.charAt(matcher.start() - 1));
            if (!function && !number && !KEYWORDS.contains(name)) {
                metrics.add(name);
            }
        }
        return metrics;
    }

    Set<String> metrics() {
        Set<String> metrics = new TreeSet<>();
        expressions().forEach(expression -> metrics.addAll(metricsOf(expression)));
        return metrics;
    }
}
