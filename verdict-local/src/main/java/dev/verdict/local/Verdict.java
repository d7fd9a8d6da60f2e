package dev.verdict.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** {@code ./verdict up [--demo]}: the whole stack in the foreground; Ctrl-C stops it cleanly. */
public final class Verdict {

    private Verdict() {
    }

    public static void main(String[] args) throws Exception {
        // The launcher's own libraries (zonky, the Kafka admin client used to wait for the broker) speak only when
        // something is wrong; the components' logs go to files under <home>/logs.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        List<String> arguments = Arrays.asList(args);
        if (arguments.isEmpty() || !arguments.get(0).equals("up")
                || !arguments.subList(1, arguments.size()).stream().allMatch("--demo"::equals)) {
            System.err.println("usage: ./verdict up [--demo]");
            System.exit(2);
        }
        StackConfig config = StackConfig.fromEnvironment(Path.of(System.getProperty("verdict.repository", "."))
                .toAbsolutePath().normalize(), System.getenv());
        System.out.println("Verdict: starting the local stack (data and logs in " + config.home() + ")");
        Stack stack = new Stack(config, System.out);
        Thread shutdown = new Thread(() -> {
            System.out.println("\nVerdict: stopping (services, then Kafka, then PostgreSQL)...");
            stack.close();
            System.out.println("Verdict: stopped.");
        }, "verdict-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("Verdict: start-up failed: " + e.getMessage());
            System.exit(1);
        }
        if (arguments.contains("--demo")) {
            Demo demo = new Demo(config, System.out, Clock.systemUTC());
            Demo.Filed filed = demo.file();
            int audited = demo.awaitAudited(filed.alreadyFiled() ? 1 : Demo.EVENTS, Duration.ofSeconds(10));
            System.out.println("  [ok] demo               " + audited + " events of " + Demo.ADVERTISER
                    + " in the audit history");
        }
        System.out.printf("""

                moderation-service  %s   (HTTP Basic, e.g. moderator1:moderator1)
                audit-service       %s   (e.g. auditor1:auditor1)
                  curl -u auditor1:auditor1 %s/api/v1/advertisers/%s/history
                Kafka               %s   topic moderation.advertiser-events.v1
                PostgreSQL          localhost:%d   databases moderation, audit (user verdict)
                Press Ctrl-C to stop.
                """, config.moderationUrl(), config.auditUrl(), config.auditUrl(), Demo.ADVERTISER,
                config.kafkaBootstrap(), config.postgresPort());
        var failure = stack.awaitFailure();
        if (failure.isPresent()) {
            System.err.println("Verdict: " + failure.get());
            System.exit(1);
        }
    }
}
