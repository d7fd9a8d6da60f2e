package dev.verdict.bench;

import dev.verdict.contract.Envelope;
import dev.verdict.local.Postgres;
import dev.verdict.local.StackConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Issue 8's (b): Axon out of the box, the peer a team would get without this work (module {@code verdict-peer}),
 * measured the way section 1 measures moderation-service. It runs as its own JVM with the services' flags, on the
 * same PostgreSQL (a database of its own) and the same broker (a topic of its own, as many partitions as the real
 * topic), after the real service's section-1 measurements and alone: the same registrations, warm-up, closed-loop
 * steps, and open-loop sweep at fractions of its own closed-loop best, with the same request bodies; and after each
 * open-loop step, how many of its events had reached its topic (does its send-and-wait publisher keep pace?).
 */
final class Peer implements AutoCloseable {

    static final String DATABASE = "peer";
    static final String TOPIC = "bench.peer.advertiser-events";

    /** One open-loop step: what the peer accepted, stored, and published to its topic during it. */
    record Step(OpenLoop.Result http, long stored, long published, long backlogAtEnd) {
    }

    /**
     * What the peer did. {@code drain} is, after each open-loop step, how long its publisher took to put the step's
     * backlog on the topic (NaN when it had not within the wait).
     */
    record Result(double startSeconds, String payloadType, int advertisers, double registrationSeconds,
                  Warmup.Result warmup, List<OpenLoop.Result> closed,
                  List<Double> fractions, List<Step> steps, List<Double> drainSeconds, double peak, int partitions,
                  long storeEvents, long topicRecords) {

        double closedBest() {
            return closed.stream().mapToDouble(OpenLoop.Result::achieved).max().orElse(0);
        }
    }

    private final StackConfig config;
    private final Benchmark.Settings settings;
    private final PrintStream out;
    private final int port = StackConfig.freePort();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4, Benchmark.daemon("peer-http")))
            .build();
    private final List<String> advertisers = new ArrayList<>();
    private final AtomicLong decisions = new AtomicLong();
    private final String effectiveFrom = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)
            .toString();
    private Process process;

    private Peer(StackConfig config, Benchmark.Settings settings, PrintStream out) {
        this.config = config;
        this.settings = settings;
        this.out = out;
    }

    /** Starts the peer, measures it, stops it. */
    static Result measure(StackConfig config, Benchmark.Settings settings, PrintStream out) throws Exception {
        try (Peer peer = new Peer(config, settings, out)) {
            return peer.run();
        }
    }

    /**
     * The quick run exercises the path only: its first fraction alone. The full run sweeps the same fractions as
     * the real service.
     */
    private List<Double> fractions() {
        return settings.quick() ? settings.fractions().subList(0, 1) : settings.fractions();
    }

    private Result run() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int partitions = admin.describeTopics(List.of(Envelope.TOPIC)).allTopicNames().get().get(Envelope.TOPIC)
                    .partitions().size();
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
            createDatabase();
            long begin = System.nanoTime();
            start();
            double startSeconds = (System.nanoTime() - begin) / 1e9;
            out.printf("peer (Axon out of the box): up in %.1f s on port %d, database %s, topic %s (%d partitions)%n",
                    startSeconds, port, DATABASE, TOPIC, partitions);

            HttpResponse<String> policy = post("/api/v1/policies", Benchmark.POLICY).get(30, TimeUnit.SECONDS);
            if (policy.statusCode() != 201) {
                throw new IllegalStateException("peer policy: " + policy.statusCode() + " " + policy.body());
            }
            double registration = register();
            out.printf("peer: registered %d advertisers in %.1f s%n", advertisers.size(), registration);
            Warmup.Result warmup = Warmup.run(settings, (int) settings.warmupRate(), this::decide,
                    () -> Warmup.jitSeconds("verdict-peer"), out, "peer ");

            List<OpenLoop.Result> closed = new ArrayList<>();
            for (int concurrency : settings.concurrencies()) {
                OpenLoop.Result h = OpenLoop.closed(concurrency, settings.closedStep(), this::decide);
                closed.add(h);
                out.printf("peer closed loop, %d in flight: %.0f/s (p50 %.2f ms, p99 %.2f ms)%n", concurrency,
                        h.achieved(), h.ms(50), h.ms(99));
            }
            awaitPublished(consumer, Duration.ofSeconds(120));
            double capacity = closed.stream().mapToDouble(OpenLoop.Result::achieved).max().orElse(1);
            List<Double> rates = fractions().stream().map(f -> (double) Math.max(1, Math.round(f * capacity)))
                    .toList();
            out.printf("peer open loop at %s decisions/s (fractions of its closed-loop best, %.0f/s)%n", rates,
                    capacity);
            List<Step> steps = new ArrayList<>();
            List<Double> drains = new ArrayList<>();
            for (double rate : rates) {
                long storedBefore = storeEvents();
                long topicBefore = topicRecords(consumer);
                OpenLoop.Result h = OpenLoop.open(rate, settings.step(), settings.maxInFlight(), this::decide);
                long storedAfter = storeEvents();
                long topicAfter = topicRecords(consumer);
                Step step = new Step(h, storedAfter - storedBefore, topicAfter - topicBefore,
                        storedAfter - topicAfter);
                steps.add(step);
                // As before each raw step of the real service: the next step starts with the publisher caught up.
                long drainStart = System.nanoTime();
                boolean drained = awaitPublished(consumer, Duration.ofSeconds(60));
                double drain = drained ? (System.nanoTime() - drainStart) / 1e9 : Double.NaN;
                drains.add(drain);
                out.printf("peer open loop %.0f/s: %.0f/s accepted (p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d "
                                + "failed, %d shed); %d stored, %d published, backlog %d at the end, drained in %s%n",
                        rate, h.achieved(), h.ms(50), h.ms(99), h.ms(99.9), h.failed(), h.shed(), step.stored(),
                        step.published(), step.backlogAtEnd(),
                        drained ? String.format("%.1f s", drain) : "more than 60 s");
                if (!h.sustained()) {
                    break;
                }
            }
            double peak = steps.stream().filter(s -> s.http().sustained()).mapToDouble(s -> s.http().offered())
                    .max().orElse(Double.NaN);
            return new Result(startSeconds, payloadType(), advertisers.size(), registration, warmup, closed,
                    fractions(), steps, drains, peak,
                    partitions, storeEvents(), topicRecords(consumer));
        }
    }

    // ---------------------------------------------------------------- the peer's JVM

    private void createDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + Postgres.USER);
        }
    }

    /** The peer's runnable jar, with the services' JVM flags; up once it answers HTTP. */
    private void start() throws Exception {
        Path log = config.logs().resolve("verdict-peer.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-jar", runnableJar().toString())
                .directory(config.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(Map.of(
                "PEER_PORT", Integer.toString(port),
                "PEER_DB_URL", config.jdbcUrl(DATABASE),
                "PEER_DB_USER", Postgres.USER,
                "PEER_DB_PASSWORD", Postgres.PASSWORD,
                "PEER_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap(),
                "PEER_KAFKA_TOPIC", TOPIC));
        process = builder.start();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url("/ready"))).timeout(Duration.ofSeconds(3)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the peer exited with " + process.exitValue() + "; the end of "
                        + log + ":\n" + tail(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the peer did not answer within 90 s; the end of " + log + ":\n"
                        + tail(log));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The last 40 lines of the peer's log: the run's directory, and the log with it, is removed when it ends. */
    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private Path runnableJar() throws IOException {
        Path target = config.repository().resolve("verdict-peer").resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "verdict-peer is not built: run ./mvnw -DskipTests package"));
        }
    }

    /** SIGTERM, up to 30 s for a clean exit, then SIGKILL. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- requests, as to the real service

    private double register() throws InterruptedException {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < settings.advertisers(); i++) {
            advertisers.add("peer-" + runId + "-" + i);
        }
        return Benchmark.registerAll(advertisers, this::post, " on the peer");
    }

    private CompletableFuture<Boolean> decide() {
        long n = decisions.getAndIncrement();
        String advertiser = advertisers.get((int) (n % advertisers.size()));
        return post("/api/v1/advertisers/" + advertiser + "/decisions", Benchmark.decisionBody(n, effectiveFrom))
                .thenApply(response -> response.statusCode() == 201);
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    // ---------------------------------------------------------------- its store and its topic

    private boolean awaitPublished(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (topicRecords(consumer) < storeEvents()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return true;
    }

    /** Rows in Axon's JPA event table (Hibernate names it domain_event_entry). */
    private long storeEvents() throws SQLException {
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl(DATABASE), Postgres.USER,
                Postgres.PASSWORD); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The column type Hibernate's {@code ddl-auto} gave Axon's {@code @Lob} event payload. */
    private String payloadType() throws SQLException {
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl(DATABASE), Postgres.USER,
                Postgres.PASSWORD); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT data_type FROM information_schema.columns WHERE "
                     + "table_name = 'domain_event_entry' AND column_name = 'payload'")) {
            return rows.next() ? rows.getString(1) : "unknown";
        }
    }

    private static long topicRecords(KafkaConsumer<byte[], byte[]> consumer) {
        return Benchmark.topicRecords(consumer, TOPIC);
    }
}
