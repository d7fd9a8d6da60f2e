package dev.verdict.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack lives and listens. Every value can be overridden by an environment variable:
 * VERDICT_HOME, VERDICT_PG_PORT, VERDICT_KAFKA_PORT, VERDICT_KAFKA_CONTROLLER_PORT, VERDICT_MODERATION_PORT,
 * VERDICT_AUDIT_PORT.
 *
 * @param repository the checkout, where the services' runnable jars are built
 * @param home       data and logs; survives restarts
 */
public record StackConfig(Path repository, Path home, int postgresPort, int kafkaPort, int kafkaControllerPort,
                          int moderationPort, int auditPort) {

    /** A stack on ports free at this moment: for tests, the reliability suite and the benchmarks. */
    public static StackConfig onFreePorts(Path repository, Path home) {
        return new StackConfig(repository, home, freePort(), freePort(), freePort(), freePort(), freePort());
    }

    /** A TCP port nothing listens on now. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port", e);
        }
    }

    public static StackConfig fromEnvironment(Path repository, Map<String, String> env) {
        return new StackConfig(
                repository,
                Path.of(env.getOrDefault("VERDICT_HOME", repository.resolve(".verdict").toString())).toAbsolutePath(),
                port(env, "VERDICT_PG_PORT", 15432),
                port(env, "VERDICT_KAFKA_PORT", 9092),
                port(env, "VERDICT_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "VERDICT_MODERATION_PORT", 8081),
                port(env, "VERDICT_AUDIT_PORT", 8082));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a TCP port, was '" + value + "'");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + database;
    }

    public String moderationUrl() {
        return "http://localhost:" + moderationPort;
    }

    public String auditUrl() {
        return "http://localhost:" + auditPort;
    }
}
