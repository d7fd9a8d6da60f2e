package dev.verdict.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole local topology: PostgreSQL, Kafka, moderation-service and audit-service, started in that order with a
 * progress line each, and stopped in reverse order. Used by {@code ./verdict up} and by the end-to-end tests.
 */
public final class Stack implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final StackConfig config;
    private final PrintStream out;
    private Postgres postgres;
    private ChildProcess kafka;
    private final List<ChildProcess> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /** The parts of the stack, for the reliability suite's faults. */
    public enum Component { POSTGRES, KAFKA, MODERATION, AUDIT }

    private final Map<String, String> serviceEnvironment;

    public Stack(StackConfig config, PrintStream out) {
        this(config, out, Map.of());
    }

    /** A stack whose services also get {@code serviceEnvironment} (settings a test or the suite needs). */
    public Stack(StackConfig config, PrintStream out, Map<String, String> serviceEnvironment) {
        this.config = config;
        this.out = out;
        this.serviceEnvironment = Map.copyOf(serviceEnvironment);
    }

    public StackConfig config() {
        return config;
    }

    public void start() throws Exception {
        Files.createDirectories(config.logs());
        long begin = System.nanoTime();
        step("PostgreSQL 17", "localhost:" + config.postgresPort() + ", fsync and synchronous_commit on, data in "
                + config.home().resolve("postgres/data"), () -> postgres = Postgres.start(config,
                List.of("moderation", "audit")));
        step("Kafka (KRaft)", config.kafkaBootstrap() + ", log in " + config.logs().resolve("kafka.log"), () -> {
            kafka = KafkaBroker.start(config);
            KafkaBroker.awaitReady(config, kafka, READY_TIMEOUT);
        });
        long servicesStart = System.nanoTime();
        ChildProcess moderation = startModeration();
        ChildProcess audit = startAudit();
        // Both JVMs start in parallel; each gets its progress line when its health turns UP.
        awaitHealthy(moderation, config.moderationUrl(), servicesStart);
        awaitHealthy(audit, config.auditUrl(), servicesStart);
        out.printf("Verdict is up in %.1f s%n", (System.nanoTime() - begin) / 1e9);
    }

    private ChildProcess startModeration() throws IOException {
        return startService(Component.MODERATION, "moderation-service", config.moderationPort());
    }

    private ChildProcess startAudit() throws IOException {
        return startService(Component.AUDIT, "audit-service", config.auditPort());
    }

    /** The module a service is built in, which is also its first instance's name and its database's. */
    private static String module(Component component) {
        return switch (component) {
            case MODERATION -> "moderation-service";
            case AUDIT -> "audit-service";
            default -> throw new IllegalArgumentException(component + " is not a service");
        };
    }

    /** A further instance's name: its module and port. */
    private static String instanceName(Component component, int port) {
        return module(component) + "-" + port;
    }

    /**
     * Another instance of a service on {@code port}, on the same database (and, for audit-service, in the same
     * consumer group); returns its base URL once it is healthy. Named after its port.
     */
    public String addInstance(Component component, int port) throws Exception {
        String url = "http://localhost:" + port;
        awaitHealthy(startService(component, instanceName(component, port), port), url, System.nanoTime());
        return url;
    }

    /** SIGKILL to an instance started by {@link #addInstance}. */
    public void killInstance(Component component, int port) throws Exception {
        ChildProcess instance = service(instanceName(component, port));
        instance.kill();
        services.remove(instance);
    }

    /** An orderly stop of an instance started by {@link #addInstance}. */
    public void stopInstance(Component component, int port) {
        ChildProcess instance = service(instanceName(component, port));
        instance.stop(Duration.ofSeconds(30));
        services.remove(instance);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye; returns once the component is gone. */
    public void kill(Component component) throws Exception {
        switch (component) {
            case POSTGRES -> postgres.kill();
            case KAFKA -> kafka.kill();
            case MODERATION, AUDIT -> service(module(component)).kill();
        }
    }

    /** An orderly stop of a service (SIGTERM): it finishes what it has in hand. */
    public void stop(Component component) {
        service(module(component)).stop(Duration.ofSeconds(30));
    }

    /** Starts a component again on its data, as an operator would after a crash, and waits until it is ready. */
    public void restart(Component component) throws Exception {
        switch (component) {
            case POSTGRES -> postgres = Postgres.start(config, List.of("moderation", "audit"));
            case KAFKA -> {
                kafka = KafkaBroker.start(config);
                KafkaBroker.awaitReady(config, kafka, READY_TIMEOUT);
            }
            case MODERATION, AUDIT -> {
                services.remove(service(module(component)));
                awaitHealthy(component == Component.MODERATION ? startModeration() : startAudit(),
                        component == Component.MODERATION ? config.moderationUrl() : config.auditUrl(),
                        System.nanoTime());
            }
        }
    }

    /** SIGSTOP or SIGCONT the Kafka broker: unreachable without refusing connections, as behind a dead network. */
    public void freezeKafka(boolean frozen) throws Exception {
        kafka.signal(frozen ? "STOP" : "CONT");
    }

    private ChildProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name) && s.isAlive()).findFirst()
                .or(() -> services.stream().filter(s -> s.name().equals(name)).findFirst())
                .orElseThrow(() -> new IllegalStateException(name + " is not running"));
    }

    private ChildProcess startService(Component component, String name, int port) throws IOException {
        String module = module(component);
        String prefix = component == Component.MODERATION ? "VERDICT_MODERATION" : "VERDICT_AUDIT";
        Path jar = ServiceLayout.launchable(runnableJar(module));
        Map<String, String> env = new java.util.HashMap<>(serviceEnvironment);
        env.put(prefix + "_PORT", Integer.toString(port));
        env.put(prefix + "_DB_URL", config.jdbcUrl(module.replace("-service", "")));
        env.put("SPRING_PROFILES_ACTIVE", "local");
        env.put("VERDICT_DB_USER", Postgres.USER);
        env.put("VERDICT_DB_PASSWORD", Postgres.PASSWORD);
        env.put("VERDICT_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
        env.put("VERDICT_INSTANCE_ID", name + "-local-" + port);
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-Xms128m", "-Xmx512m", "-XX:+UseG1GC"));
        command.addAll(ChildProcess.extraJvmOptions());
        command.addAll(List.of("-jar", jar.toString()));
        ChildProcess process = ChildProcess.start(name, command, env, config.home(),
                config.logs().resolve(name + ".log"));
        services.add(process);
        return process;
    }

    private Path runnableJar(String module) throws IOException {
        Path target = config.repository().resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(module + " is not built: run ./mvnw -DskipTests package"));
        }
    }

    private void awaitHealthy(ChildProcess service, String baseUrl, long since) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with " + service.exitValue() + "; see "
                        + service.log());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    out.printf("  [ok] %-18s %s (%.1f s), log in %s%n", service.name(), baseUrl,
                            (System.nanoTime() - since) / 1e9, service.log());
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service.name() + " was not healthy within " + READY_TIMEOUT + "; see "
                        + service.log());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * Blocks until a component dies on its own (returned) or the stack is being stopped (empty: components then
     * exit because they were asked to).
     */
    public java.util.Optional<String> awaitFailure() throws InterruptedException {
        while (!closing) {
            for (ChildProcess child : children()) {
                if (!child.isAlive() && !closing) {
                    return java.util.Optional.of(child.name() + " exited with " + child.exitValue() + "; see "
                            + child.log());
                }
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return java.util.Optional.empty();
    }

    private List<ChildProcess> children() {
        List<ChildProcess> all = new ArrayList<>(services);
        if (kafka != null) {
            all.add(kafka);
        }
        return all;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String name, String detail, Step step) throws Exception {
        long start = System.nanoTime();
        out.printf("  ...  %-18s starting%n", name);
        step.run();
        out.printf("  [ok] %-18s %s (%.1f s)%n", name, detail, (System.nanoTime() - start) / 1e9);
    }

    /** Services first (they drain and commit), then the broker, then the database. */
    @Override
    public void close() {
        closing = true;
        services.parallelStream().forEach(service -> service.stop(Duration.ofSeconds(30)));
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                out.println("stopping PostgreSQL: " + e.getMessage());
            }
        }
    }
}
