package dev.verdict.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verdict.contract.Envelope;
import dev.verdict.local.Directories;
import dev.verdict.local.Postgres;
import dev.verdict.local.Stack;
import dev.verdict.local.Stack.Component;
import dev.verdict.local.StackConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The benchmark harness: the real stack of {@code ./verdict up} (durable PostgreSQL 17, a KRaft broker, both services
 * as their own JVMs with -Xmx512m) on this machine, measured from outside, one run, and {@code docs/BENCHMARKS.md}
 * written from that run only.
 *
 * <ol>
 *   <li>decisions accepted per second over HTTP, open loop at rising arrival rates (latency from the intended send
 *   time), each step side by side with raw JDBC single-row inserts of the same envelope into the same PostgreSQL at
 *   the same rate; then closed loop at fixed concurrencies, HTTP against raw JDBC at the same thread counts; then
 *   the same for Axon out of the box ({@link Peer}), alone;</li>
 *   <li>end-to-end latency, HTTP 2xx to the row in the audit history, at half of the measured peak, with</li>
 *   <li>audit query latency (history page, state as of a time, search) under that write load;</li>
 *   <li>heap and RSS of each service, sampled throughout, reported at the peak step;</li>
 *   <li>the publisher's rate (keeping pace at each step, and draining a backlog) against Kafka's own
 *   {@code ProducerPerformance} on the same broker.</li>
 * </ol>
 *
 * <p>{@code ./verdict bench [--quick] [--report file.md]}
 */
public final class Benchmark {

    /** How hard and how long. {@link #full()} is the documented run; {@link #smoke()} is the quick run. */
    record Settings(boolean quick, int advertisers, Duration warmupWindow, Duration warmupMin, Duration warmupMax,
                    double warmupRate, List<Double> fractions,
                    Duration step, int rawThreads, List<Integer> concurrencies, Duration closedStep,
                    Duration endToEnd, double queryRate, int drainEvents, int perfRecords, int maxInFlight,
                    int replayEvents, int replayAdvertisers) {

        static Settings full() {
            return new Settings(false, 10_000, Duration.ofSeconds(10), Duration.ofSeconds(60),
                    Duration.ofSeconds(300), 16,
                    List.of(0.25, 0.5, 0.75, 0.9, 1.0, 1.2), Duration.ofSeconds(20), 16,
                    List.of(1, 4, 16, 64), Duration.ofSeconds(10), Duration.ofSeconds(30), 20, 100_000, 300_000,
                    2_000, 1_000_000, 10_000);
        }

        static Settings smoke() {
            return new Settings(true, 20, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 2,
                    List.of(0.25, 0.5), Duration.ofSeconds(3), 2,
                    List.of(2), Duration.ofSeconds(2), Duration.ofSeconds(3), 5, 200, 5_000, 500, 10_000, 200);
        }
    }

    /** One open-loop step: HTTP and raw JDBC at the same rate, and what the publisher and the services did. */
    record Step(OpenLoop.Result http, OpenLoop.Result raw, long stored, long published, long backlogAtEnd,
                Memory memory, CpuUse cpu) {
    }

    /**
     * Maxima of the samples, and the stop-the-world GC pauses of each service over the whole sampling ({@link Gc}).
     */
    record Memory(long moderationHeap, long moderationRss, long auditHeap, long auditRss, Gc moderationGc,
                  Gc auditGc) {

        static final Memory NONE = new Memory(0, 0, 0, 0, Gc.NONE, Gc.NONE);

        Memory max(Memory o) {
            return new Memory(Math.max(moderationHeap, o.moderationHeap), Math.max(moderationRss, o.moderationRss),
                    Math.max(auditHeap, o.auditHeap), Math.max(auditRss, o.auditRss),
                    Gc.longer(moderationGc, o.moderationGc), Gc.longer(auditGc, o.auditGc));
        }

        Memory with(Gc moderation, Gc audit) {
            return new Memory(moderationHeap, moderationRss, auditHeap, auditRss, moderation, audit);
        }
    }

    /**
     * Stop-the-world GC pauses: a service's {@code jvm.gc.pause} timer (count and total) over an interval;
     * {@link #UNREAD} when its scrape failed at either end.
     */
    record Gc(long pauses, double seconds) {

        static final Gc NONE = new Gc(0, 0);
        static final Gc UNREAD = new Gc(-1, 0);

        boolean read() {
            return pauses >= 0;
        }

        Gc since(Gc before) {
            return read() && before.read() ? new Gc(pauses - before.pauses, seconds - before.seconds) : UNREAD;
        }

        static Gc longer(Gc a, Gc b) {
            return a.seconds() >= b.seconds() ? a : b;
        }
    }

    record EndToEnd(OpenLoop.Result writes, Histogram visible, long accepted, long seen, Reads reads, Memory memory) {
    }

    /**
     * The auditors' three queries over one phase, and what audit-service's HTTP threads did meanwhile (CPU, wait for
     * a core, slices) for the requests they answered: the queries and the memory sampler's scrapes.
     */
    record Reads(OpenLoop.Result history, OpenLoop.Result asOf, OpenLoop.Result search,
                 Scheduling auditHttpThreads) {

        long requests() {
            return Stream.of(history, asOf, search).mapToLong(r -> r.ok() + r.failed()).sum();
        }
    }

    /**
     * Heap in use right after a full collection, per service, in bytes ({@link #UNREAD}, -1, when it could not be
     * read): what the services keep, the aggregate cache among it. The sampled maxima of {@link Memory} include garbage
     * not yet collected, as G1 lets the young generation grow into the free heap.
     */
    record LiveHeap(long moderation, long audit) {
        static final long UNREAD = -1;
    }

    record Publishing(Drain cold, Drain warm, String perfLine, double perfRate, int recordSize, int partitions) {
    }

    /** A backlog the relay re-sent: how many events, and the seconds from the first to the last on the topic. */
    record Drain(long events, double seconds) {
        double rate() {
            return events / seconds;
        }
    }

    record Report(Settings settings, String command, Instant started, double stackStart, int payloadBytes,
                  Warmup.Result warmup, List<Step> steps, List<OpenLoop.Result> closedHttp,
                  List<OpenLoop.Result> closedRaw, double peak, Peer.Result peer, EndToEnd endToEndLeadIn,
                  EndToEnd endToEnd, Reads quietReads, LiveHeap liveHeap, Publishing publishing,
                  long storeEvents, ReplayBenchmark.Result replay) {
    }

    static final String POLICY = """
            {"id": "bench/warnings", "version": "2025-01", "title": "Benchmark policy",
             "clauses": [{"clause": "1.1", "text": "Advertisers must not mislead users about the product advertised."}]}
            """;

    /** {@code PublisherLease}'s advisory lock key, "VERDICTP" in ASCII. */
    private static final long PUBLISHER_LEASE_KEY = 0x5645524449435450L;

    private static final Pattern DECISION_ID = Pattern.compile("\"decisionId\"\\s*:\\s*\"([^\"]+)\"");

    private final Stack stack;
    private final Settings settings;
    private final PrintStream out;
    private final StackConfig config;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, daemon("http")))
            .build();
    private final List<String> advertisers = new ArrayList<>();
    private final AtomicLong decisions = new AtomicLong();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final String effectiveFrom = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)
            .toString();
    /** Decision id to the time its 2xx arrived, while the end-to-end phase runs. */
    private volatile Map<String, Long> answered;

    Benchmark(Stack stack, Settings settings, PrintStream out) {
        this.stack = stack;
        this.settings = settings;
        this.out = out;
        this.config = stack.config();
    }

    Report run(String command, double stackStart) throws Exception {
        Instant started = Instant.now();
        setUp();
        Warmup.Result warmup = warmUp();
        byte[] payload = samplePayload();
        try (HikariDataSource raw = rawDatabase(); Admin admin = admin();
             KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            ExecutorService rawThreads = Executors.newFixedThreadPool(settings.rawThreads(), daemon("raw"));
            Supplier<CompletableFuture<Boolean>> insert = rawInsert(raw, payload, rawThreads);
            OpenLoop.closed((int) settings.warmupRate(), settings.warmupWindow(), insert); // this JVM is warm

            List<OpenLoop.Result> closedHttp = new ArrayList<>();
            List<OpenLoop.Result> closedRaw = new ArrayList<>();
            for (int concurrency : settings.concurrencies()) {
                ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon("raw-closed"));
                try (HikariDataSource closedPool = pool(config.jdbcUrl("bench_raw"), concurrency)) {
                    OpenLoop.Result h = OpenLoop.closed(concurrency, settings.closedStep(), this::decide);
                    OpenLoop.Result r = OpenLoop.closed(concurrency, settings.closedStep(),
                            rawInsert(closedPool, payload, pool));
                    closedHttp.add(h);
                    closedRaw.add(r);
                    out.printf("closed loop, %d in flight: HTTP %.0f/s (p99 %.2f ms), raw JDBC %.0f/s (p99 %.2f ms)%n",
                            concurrency, h.achieved(), h.ms(99), r.achieved(), r.ms(99));
                } finally {
                    pool.shutdownNow();
                }
            }
            awaitPublished(consumer, Duration.ofSeconds(120));
            double capacity = closedHttp.stream().mapToDouble(OpenLoop.Result::achieved).max().orElse(1);
            List<Double> rates = settings.fractions().stream().map(f -> (double) Math.max(1, Math.round(f * capacity)))
                    .toList();
            out.printf("open loop at %s decisions/s (fractions of the closed-loop best, %.0f/s)%n", rates, capacity);
            List<Step> steps = new ArrayList<>();
            out.printf("%-7s %9s %9s %8s %8s %9s %6s | %9s %8s %8s %9s | %9s %9s%n", "rate/s", "http ok/s",
                    "in flight", "p50 ms", "p99 ms", "p99.9 ms", "shed", "raw ok/s", "p50 ms", "p99 ms", "p99.9 ms",
                    "published", "backlog");
            for (double rate : rates) {
                long storedBefore = storeEvents();
                long topicBefore = topicRecords(consumer);
                MemorySampler sampler = new MemorySampler();
                sampler.start();
                CpuUse cpuBefore = CpuUse.now(postgresData());
                OpenLoop.Result httpResult = OpenLoop.open(rate, settings.step(), settings.maxInFlight(),
                        this::decide);
                CpuUse cpu = CpuUse.now(postgresData()).since(cpuBefore);
                Memory memory = sampler.stop();
                long stored = storeEvents() - storedBefore;
                long topicAfter = topicRecords(consumer);
                long backlog = storeEvents() - topicAfter;
                awaitPublished(consumer, Duration.ofSeconds(60)); // the raw step gets the machine to itself
                OpenLoop.Result rawResult = OpenLoop.open(rate, settings.step(), settings.maxInFlight(), insert);
                Step step = new Step(httpResult, rawResult, stored, topicAfter - topicBefore, backlog, memory, cpu);
                steps.add(step);
                out.printf("%-7.0f %9.0f %9.1f %8.2f %8.2f %9.2f %6d | %9.0f %8.2f %8.2f %9.2f | %9d %9d%n", rate,
                        httpResult.achieved(), httpResult.meanInFlight(), httpResult.ms(50), httpResult.ms(99),
                        httpResult.ms(99.9), httpResult.shed(), rawResult.achieved(), rawResult.ms(50),
                        rawResult.ms(99), rawResult.ms(99.9), topicAfter - topicBefore, backlog);
                if (!httpResult.sustained()) {
                    break; // beyond the peak: higher rates only pile up requests
                }
            }
            double peak = steps.stream().filter(s -> s.http().sustained()).mapToDouble(s -> s.http().offered())
                    .max().orElse(steps.get(0).http().offered());

            rawThreads.shutdownNow();
            awaitPublished(consumer, Duration.ofSeconds(120));
            awaitAudited(Duration.ofSeconds(120)); // the end-to-end phase starts with audit-service caught up
            Peer.Result peer = Peer.measure(config, settings, out); // (b), alone: the services idle meanwhile

            // The same load twice: the first round re-opens the connections and wakes the pools and threads that
            // idled while the peer ran; the second is the measurement. Both are reported.
            EndToEnd endToEndLeadIn = endToEnd(peak / 2);
            EndToEnd endToEnd = endToEnd(peak / 2);
            awaitAudited(Duration.ofSeconds(120));
            Reads quietReads = quietReads();
            LiveHeap liveHeap = new LiveHeap(liveHeap("moderation-service"), liveHeap("audit-service"));
            Publishing publishing = publishing(admin, consumer, payload.length);
            long storeEvents = storeEvents();
            ReplayBenchmark.Result replay = new ReplayBenchmark(config, out, http).run(settings.replayEvents(),
                    settings.replayAdvertisers(), () -> {
                        MemorySampler sampler = new MemorySampler();
                        sampler.start();
                        return sampler;
                    });
            return new Report(settings, command, started, stackStart, payload.length, warmup, steps, closedHttp,
                    closedRaw, peak, peer, endToEndLeadIn, endToEnd, quietReads, liveHeap, publishing, storeEvents,
                    replay);
        }
    }

    // ---------------------------------------------------------------- set-up

    private void setUp() throws Exception {
        HttpResponse<String> policy = post("/api/v1/policies", POLICY).get(30, TimeUnit.SECONDS);
        if (policy.statusCode() != 201 && policy.statusCode() != 409) {
            throw new IllegalStateException("policy: " + policy.statusCode() + " " + policy.body());
        }
        for (int i = 0; i < settings.advertisers(); i++) {
            advertisers.add("bench-" + runId + "-" + i);
        }
        double seconds = registerAll(advertisers, (path, body) -> post(path, body), "");
        out.printf("registered %d advertisers in %.1f s%n", advertisers.size(), seconds);
    }

    /**
     * Registers every advertiser with 16 requests in flight (the same bodies for the service and the peer), and
     * returns how many seconds it took; any registration that fails fails the run.
     */
    static double registerAll(List<String> advertisers,
                              java.util.function.BiFunction<String, String, CompletableFuture<HttpResponse<String>>> post,
                              String where) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        long begin = System.nanoTime();
        OpenLoop.Result registered = OpenLoop.closed(16, Duration.ofMinutes(10), () -> {
            long i = next.getAndIncrement();
            if (i >= advertisers.size()) {
                return CompletableFuture.completedFuture(true);
            }
            return post.apply("/api/v1/advertisers", registrationBody(advertisers.get((int) i)))
                    .thenApply(r -> r.statusCode() == 201);
        }, () -> next.get() >= advertisers.size());
        if (registered.failed() > 0) {
            throw new IllegalStateException(registered.failed() + " registrations failed" + where);
        }
        return (System.nanoTime() - begin) / 1e9;
    }

    /** One WARNING on the next advertiser in turn: every decision is valid and appends one event. */
    private CompletableFuture<Boolean> decide() {
        long n = decisions.getAndIncrement();
        String advertiser = advertisers.get((int) (n % advertisers.size()));
        String body = decisionBody(n, effectiveFrom);
        return post("/api/v1/advertisers/" + advertiser + "/decisions", body).thenApply(response -> {
            boolean ok = response.statusCode() == 201;
            Map<String, Long> watch = answered;
            if (ok && watch != null) {
                Matcher id = DECISION_ID.matcher(response.body());
                if (id.find()) {
                    watch.put(id.group(1), System.nanoTime());
                }
            }
            return ok;
        });
    }

    /** The registration of advertiser {@code id}, as sent to moderation-service and to the peer. */
    static String registrationBody(String id) {
        return """
                {"advertiserId": "%s", "legalName": "Bench %s", "country": "DE", "accountType": "BUSINESS"}
                """.formatted(id, id);
    }

    /** The {@code n}-th WARNING decision, as sent to moderation-service and to the peer. */
    static String decisionBody(long n, String effectiveFrom) {
        return """
                {"kind": "WARNING", "scope": ["ADVERTISING"],
                 "policy": {"id": "bench/warnings", "version": "2025-01", "clause": "1.1"},
                 "ground": "INCOMPATIBLE_CONTENT", "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
                 "statement": "Ad %d misled users about the product.", "territorialScope": ["WORLDWIDE"],
                 "automatedDetection": false, "automatedDecision": "NOT_AUTOMATED",
                 "evidence": [{"uri": "urn:evidence:%d", "sha256": "%s", "mediaType": "text/plain",
                               "description": "the ad as shown"}],
                 "effectiveFrom": "%s"}
                """.formatted(n, n, "ab".repeat(32), effectiveFrom);
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(config.moderationUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", basic("moderator1"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<Boolean> get(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(config.auditUrl() + path))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", basic("auditor1")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).thenApply(r -> r.statusCode() == 200);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- raw JDBC, the limit

    /** A real decision's envelope as audit-service stored it: the payload the raw inserts write. */
    private byte[] samplePayload() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection connection = audit()) {
            while (System.nanoTime() < deadline) {
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                        "SELECT envelope FROM audit_event WHERE event_type = 'AdvertiserWarned' LIMIT 1")) {
                    if (rows.next()) {
                        return rows.getString(1).getBytes(StandardCharsets.UTF_8);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IllegalStateException("no decision reached the audit history within 60 s");
    }

    /**
     * A database of its own in the same PostgreSQL, with a table shaped like the event store's: a global index,
     * a unique event id, a unique (advertiser, sequence), the payload as bytea.
     */
    private HikariDataSource rawDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'bench_raw'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE bench_raw OWNER " + Postgres.USER);
                }
            }
        }
        HikariDataSource pool = pool(config.jdbcUrl("bench_raw"), settings.rawThreads());
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS raw_event (
                        global_index BIGSERIAL PRIMARY KEY,
                        event_id UUID NOT NULL UNIQUE,
                        advertiser_id TEXT NOT NULL,
                        sequence BIGINT NOT NULL,
                        payload BYTEA NOT NULL,
                        UNIQUE (advertiser_id, sequence))""");
            try (ResultSet rows = statement.executeQuery("SHOW synchronous_commit")) {
                rows.next();
                if (!"on".equals(rows.getString(1))) {
                    throw new IllegalStateException("synchronous_commit is " + rows.getString(1));
                }
            }
        }
        return pool;
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(Postgres.USER);
        hikari.setPassword(Postgres.PASSWORD);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setAutoCommit(true);
        return new HikariDataSource(hikari);
    }

    private static final AtomicLong RAW_SEQUENCE = new AtomicLong();

    /** One row, one autocommit transaction: a durable commit per insert, as the event store makes per command. */
    private static Supplier<CompletableFuture<Boolean>> rawInsert(HikariDataSource pool, byte[] payload,
                                                                  ExecutorService threads) {
        return () -> CompletableFuture.supplyAsync(() -> {
            long n = RAW_SEQUENCE.getAndIncrement();
            try (Connection connection = pool.getConnection(); PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO raw_event (event_id, advertiser_id, sequence, payload) VALUES (?, ?, ?, ?)")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, "raw-" + (n % 10_000));
                insert.setLong(3, n);
                insert.setBytes(4, payload);
                return insert.executeUpdate() == 1;
            } catch (Exception e) {
                return false;
            }
        }, threads);
    }

    // ---------------------------------------------------------------- warm-up

    /**
     * Decisions with {@link Settings#warmupRate()} in flight until both services' JIT compilers have settled (see
     * {@link Warmup}), while the auditors' three queries run at {@link Settings#queryRate()} each, so that the read
     * paths measured later are compiled too.
     */
    private Warmup.Result warmUp() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<CompletableFuture<OpenLoop.Result>> reads = auditQueries().stream()
                .map(query -> readers(query, settings.warmupMax(), done::get)).toList();
        try {
            return Warmup.run(settings, (int) settings.warmupRate(), this::decide,
                    () -> Warmup.jitSeconds(CpuUse.MODERATION) + Warmup.jitSeconds(CpuUse.AUDIT), out, "");
        } finally {
            done.set(true);
            for (CompletableFuture<OpenLoop.Result> read : reads) {
                read.get();
            }
        }
    }

    /** The three queries of an auditor that sections 2 and 5 measure: history page, state as of, search. */
    private List<Supplier<CompletableFuture<Boolean>>> auditQueries() {
        String asOf = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(); // every advertiser exists by then
        return List.of(
                () -> get("/api/v1/advertisers/" + randomAdvertiser() + "/history"),
                () -> get("/api/v1/advertisers/" + randomAdvertiser() + "/state?asOf=" + asOf),
                () -> get("/api/v1/events?type=AdvertiserWarned&limit=50"));
    }

    // ---------------------------------------------------------------- end to end and queries

    /**
     * Decisions at {@code rate} while auditors read; a poller on the audit database notes when each decision's row
     * becomes visible (committed) there. Latency: from the 2xx to that moment. The poller's own period (2 ms) and
     * query time are included, so the figure errs on the slow side.
     */
    private EndToEnd endToEnd(double rate) throws Exception {
        Map<String, Long> watch = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        AtomicLong lastSeq = new AtomicLong(maxAuditSeq());
        Thread poller = new Thread(() -> poll(seen, lastSeq), "e2e-poller");
        poller.setDaemon(true);
        poller.start();
        answered = watch;
        MemorySampler sampler = new MemorySampler();
        sampler.start();
        Callable<Reads> reads = startReads();
        OpenLoop.Result writes = OpenLoop.open(rate, settings.endToEnd(), settings.maxInFlight(), this::decide);
        answered = null;
        Reads answeredReads = reads.call();
        Memory memory = sampler.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!seen.keySet().containsAll(watch.keySet()) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        poller.interrupt();
        Histogram visible = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
        long matched = 0;
        for (Map.Entry<String, Long> e : watch.entrySet()) {
            Long at = seen.get(e.getKey());
            if (at != null) {
                visible.recordValue(Math.max(0, at - e.getValue()));
                matched++;
            }
        }
        out.printf("end to end at %.0f/s: %d accepted, %d visible, p50 %.1f ms, p99 %.1f ms%n", rate, watch.size(),
                matched, visible.getValueAtPercentile(50) / 1e6, visible.getValueAtPercentile(99) / 1e6);
        return new EndToEnd(writes, visible, watch.size(), matched, answeredReads, memory);
    }

    /**
     * The same queries at the same rates with nothing written (audit-service caught up): what a read costs on this
     * machine when it does not share the cores with the write path.
     */
    private Reads quietReads() throws Exception {
        MemorySampler sampler = new MemorySampler(); // its scrapes are among the requests, as in the phase with writes
        sampler.start();
        Reads quiet = startReads().call();
        sampler.stop();
        out.printf("queries with no writes: history p50 %.1f ms, p99 %.1f ms%n", quiet.history().ms(50),
                quiet.history().ms(99));
        return quiet;
    }

    /**
     * Starts the auditors' three queries for one phase ({@link Settings#endToEnd()} long); the answer waits for them
     * and reads what audit-service's HTTP threads did meanwhile.
     */
    private Callable<Reads> startReads() {
        Scheduling before = Scheduling.httpThreads(CpuUse.AUDIT);
        List<CompletableFuture<OpenLoop.Result>> reads = auditQueries().stream()
                .map(query -> readers(query, settings.endToEnd(), () -> false)).toList();
        return () -> new Reads(reads.get(0).get(), reads.get(1).get(), reads.get(2).get(),
                Scheduling.httpThreads(CpuUse.AUDIT).since(before));
    }

    private CompletableFuture<OpenLoop.Result> readers(Supplier<CompletableFuture<Boolean>> query, Duration duration,
                                                       java.util.function.BooleanSupplier done) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return OpenLoop.open(settings.queryRate(), duration, settings.maxInFlight(), query, done);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Executors.newSingleThreadExecutor(daemon("reader")));
    }

    private String randomAdvertiser() {
        return advertisers.get(ThreadLocalRandom.current().nextInt(advertisers.size()));
    }

    /**
     * The audit consumer (one instance here) writes one batch per transaction, one at a time, so rows become
     * visible in audit_seq order and the poller need not look back; a row it missed would show as "not seen".
     */
    private void poll(Map<String, Long> seen, AtomicLong lastSeq) {
        try (Connection connection = audit(); PreparedStatement query = connection.prepareStatement(
                "SELECT audit_seq, decision_id FROM audit_event WHERE audit_seq > ? AND decision_id IS NOT NULL")) {
            while (!Thread.currentThread().isInterrupted()) {
                query.setLong(1, lastSeq.get());
                long now;
                try (ResultSet rows = query.executeQuery()) {
                    now = System.nanoTime();
                    while (rows.next()) {
                        seen.putIfAbsent(rows.getString(2), now);
                        lastSeq.accumulateAndGet(rows.getLong(1), Math::max);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            out.println("e2e poller: " + e);
        }
    }

    private long maxAuditSeq() throws Exception {
        try (Connection connection = audit(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(max(audit_seq), 0) FROM audit_event")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    // ---------------------------------------------------------------- publishing

    /**
     * The publisher's own rate, twice, with audit-service stopped (so that the relay has the machine to itself, as the
     * producer tool will): first cold, moderation-service stopped, its publication position moved back by
     * {@code drainEvents} indexes, and started again; then warm, the position moved back again and the relay's lease
     * session ended (as a lost database connection would end it), so that the same relay takes its lease again and
     * re-sends from there. Each rate is the re-sent events over the time from the first to the last of them on the
     * topic. Then Kafka's ProducerPerformance on the same broker, same partitions, same record size, same durability
     * (acks=all, idempotent) and the relay's compression and linger.
     */
    private Publishing publishing(Admin admin, KafkaConsumer<byte[], byte[]> consumer, int recordSize)
            throws Exception {
        int partitions = admin.describeTopics(List.of(Envelope.TOPIC)).allTopicNames().get().get(Envelope.TOPIC)
                .partitions().size();
        Drain cold = new Drain(0, Double.NaN);
        Drain warm = new Drain(0, Double.NaN);
        if (settings.drainEvents() > 0) {
            stack.stop(Component.AUDIT);
            stack.stop(Component.MODERATION);
            cold = drain(consumer, () -> {
                stack.restart(Component.MODERATION);
                return null;
            });
            out.printf("publisher, cold: %d events re-sent in %.2f s = %.0f events/s%n", cold.events(),
                    cold.seconds(), cold.rate());
            warm = drain(consumer, this::endPublisherSession);
            out.printf("publisher, warm: %d events re-sent in %.2f s = %.0f events/s%n", warm.events(),
                    warm.seconds(), warm.rate());
            stack.restart(Component.AUDIT);
        }
        String topic = "bench.producer-performance";
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", Integer.toString(settings.perfRecords()), "--record-size",
                Integer.toString(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + config.kafkaBootstrap(), "acks=all", "enable.idempotence=true",
                "compression.type=lz4", "linger.ms=5");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        String line = output.lines().filter(l -> l.contains("records sent,") && l.contains("99.9th"))
                .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("ProducerPerformance: " + output));
        Matcher rate = Pattern.compile("records sent, ([0-9.]+) records/sec").matcher(line);
        double perfRate = rate.find() ? Double.parseDouble(rate.group(1)) : Double.NaN;
        out.println("ProducerPerformance: " + line.trim());
        return new Publishing(cold, warm, line.trim(), perfRate, recordSize, partitions);
    }

    /**
     * Waits until the relay has saved its position past every stored event (it saves after Kafka's acknowledgement,
     * so a record on the topic may precede it, and an idle relay saves nothing more), moves that position back by
     * {@code drainEvents} indexes, has {@code trigger} set the relay going, and times the re-send on the topic.
     */
    private Drain drain(KafkaConsumer<byte[], byte[]> consumer, Callable<?> trigger) throws Exception {
        long events;
        try (Connection connection = moderation(); Statement statement = connection.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!positionAtEnd(statement)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the relay did not save its position past every event");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            statement.executeUpdate("UPDATE publication_position SET last_index = greatest(0, last_index - "
                    + settings.drainEvents() + ")");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM domain_event_entry e, "
                    + "publication_position p WHERE e.global_index > p.last_index")) {
                rows.next();
                events = rows.getLong(1);
            }
        }
        long before = topicRecords(consumer);
        CompletableFuture<double[]> watch = CompletableFuture.supplyAsync(() -> watchTopic(before, before + events));
        trigger.call();
        double[] window = watch.get(10, TimeUnit.MINUTES);
        return new Drain(events, (window[1] - window[0]) / 1e9);
    }

    private static boolean positionAtEnd(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT p.last_index >= (SELECT coalesce(max(global_index), 0) "
                + "FROM domain_event_entry) AND cardinality(p.gap_from) = 0 FROM publication_position p")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /**
     * Ends the database session through which moderation-service's relay holds its lease (the advisory lock of
     * {@code PublisherLease}): the relay gives the lease up, takes it again, and reads its position anew.
     */
    private Void endPublisherSession() throws SQLException {
        try (Connection connection = moderation(); PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                        + "AND ((classid::BIGINT << 32) | objid::BIGINT) = ? AND objsubid = 1")) {
            statement.setLong(1, PUBLISHER_LEASE_KEY);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || !rows.getBoolean(1)) {
                    throw new IllegalStateException("no session holds the publisher's lease");
                }
            }
        }
        return null;
    }

    /** Nanotimes of the first new record and of reaching {@code target} records on the topic. */
    private double[] watchTopic(long before, long target) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            long first = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                long records = topicRecords(consumer);
                long now = System.nanoTime();
                if (first == 0 && records > before) {
                    first = now;
                }
                if (records >= target) {
                    return new double[] {first, now};
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new IllegalStateException("the publisher did not re-send the backlog within 10 minutes");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitPublished(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (topicRecords(consumer) < storeEvents() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void awaitAudited(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = audit(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_event")) {
                rows.next();
                if (rows.getLong(1) >= storeEvents()) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private long storeEvents() throws Exception {
        try (Connection connection = moderation(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long topicRecords(KafkaConsumer<byte[], byte[]> consumer) {
        return topicRecords(consumer, Envelope.TOPIC);
    }

    /** Records on {@code topic} now, all partitions (end minus beginning offsets). */
    static long topicRecords(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
        return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()));
    }

    private Connection audit() throws Exception {
        return DriverManager.getConnection(config.jdbcUrl("audit"), Postgres.USER, Postgres.PASSWORD);
    }

    private Connection moderation() throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl("moderation"), Postgres.USER, Postgres.PASSWORD);
    }

    private Path postgresData() {
        return config.home().resolve("postgres/data");
    }

    // ---------------------------------------------------------------- memory

    /** A running memory sampler: stop it to get the maxima it saw. */
    interface MemoryProbe {
        Memory stop() throws InterruptedException;
    }

    /**
     * Heap (the services' own jvm.memory.used, area=heap, from their Prometheus scrape) and RSS, once a second; and
     * the services' GC pauses between start and stop.
     */
    private final class MemorySampler implements MemoryProbe {
        private volatile boolean running = true;
        private volatile Memory max = Memory.NONE;
        private final Thread thread = new Thread(this::sample, "memory");
        private Gc moderationGc = Gc.NONE;
        private Gc auditGc = Gc.NONE;

        void start() {
            moderationGc = gc(config.moderationUrl());
            auditGc = gc(config.auditUrl());
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public Memory stop() throws InterruptedException {
            running = false;
            thread.join();
            return max.with(gc(config.moderationUrl()).since(moderationGc), gc(config.auditUrl()).since(auditGc));
        }

        private void sample() {
            while (running) {
                try {
                    max = max.max(new Memory(heap(config.moderationUrl()), rss("moderation-service"),
                            heap(config.auditUrl()), rss("audit-service"), Gc.NONE, Gc.NONE));
                    TimeUnit.MILLISECONDS.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a sample missed; the next one counts
                }
            }
        }

        private long heap(String baseUrl) throws Exception {
            return (long) sum(scrape(baseUrl), "jvm_memory_used_bytes{", "area=\"heap\"");
        }

        /** The pause timer's totals over every cause and action since the service started. */
        private Gc gc(String baseUrl) {
            try {
                String scrape = scrape(baseUrl);
                return new Gc((long) sum(scrape, "jvm_gc_pause_seconds_count{", ""),
                        sum(scrape, "jvm_gc_pause_seconds_sum{", ""));
            } catch (Exception e) {
                return Gc.UNREAD;
            }
        }

        private String scrape(String baseUrl) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        private static double sum(String scrape, String prefix, String label) {
            return scrape.lines().filter(l -> l.startsWith(prefix) && l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }

    /**
     * Asks this harness's child JVM running {@code module}'s runnable jar for a full collection ({@code jcmd GC.run})
     * and returns the heap it uses right after ({@code GC.heap_info}), in bytes, or {@link LiveHeap#UNREAD}.
     */
    static long liveHeap(String module) throws InterruptedException {
        Optional<ProcessHandle> service = CpuUse.jvmsOf(module).findFirst();
        if (service.isEmpty()) {
            return LiveHeap.UNREAD;
        }
        String pid = Long.toString(service.get().pid());
        try {
            jcmd(pid, "GC.run");
            Matcher used = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : LiveHeap.UNREAD;
        } catch (IOException e) {
            return LiveHeap.UNREAD;
        }
    }

    /** Runs {@code jcmd pid command} with a deadline of 60 s (its output goes to a file, so a hang cannot block). */
    private static String jcmd(String pid, String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("jcmd", ".txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid,
                    command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new IOException("jcmd " + pid + " " + command + " did not end within 60 s");
            }
            String text = Files.readString(output);
            if (jcmd.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + ": " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** VmRSS of this harness's child JVM running {@code module}'s runnable jar, in bytes. */
    static long rss(String module) throws IOException {
        Optional<ProcessHandle> service = CpuUse.jvmsOf(module).findFirst();
        if (service.isEmpty()) {
            return 0;
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(service.get().pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- entry point

    /** {@code ./verdict bench [--quick] [--report file.md]}. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean quick = List.of(args).contains("--quick");
        Path repository = Path.of(System.getProperty("verdict.repository", ".")).toAbsolutePath().normalize();
        Path report = repository.resolve("docs").resolve("BENCHMARKS.md");
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--report")) {
                report = Path.of(args[i + 1]);
            }
        }
        String command = "./verdict bench" + (quick ? " --quick" : "");
        Report result = run(repository, quick ? Settings.smoke() : Settings.full(), command, System.out);
        Files.writeString(report, BenchmarkReport.markdown(result));
        System.out.println("report written to " + report);
        System.exit(0);
    }

    static Report run(Path repository, Settings settings, String command, PrintStream out) throws Exception {
        Path home = Files.createTempDirectory("verdict-bench");
        StackConfig config = StackConfig.onFreePorts(repository, home);
        try (Stack stack = new Stack(config, out)) {
            long begin = System.nanoTime();
            stack.start();
            double stackStart = (System.nanoTime() - begin) / 1e9;
            return new Benchmark(stack, settings, out).run(command, stackStart);
        } finally {
            try {
                Directories.delete(home);
            } catch (IOException e) {
                out.println("could not remove " + home + ": " + e.getMessage());
            }
        }
    }
}
