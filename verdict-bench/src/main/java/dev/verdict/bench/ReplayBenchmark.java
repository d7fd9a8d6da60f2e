package dev.verdict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import dev.verdict.local.Postgres;
import dev.verdict.local.StackConfig;
import dev.verdict.servicekit.BinaryCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

/**
 * Section 6: a replay of a large history through audit-service's admin API, side by side with the raw limit.
 *
 * <ol>
 *   <li>Set-up, not measured: the topic is topped up to {@code events} records with envelopes made from the
 *   contract's approved samples (mostly decisions, as the rest of the harness files, plus evidence, notes and
 *   restrictions), each sealed into its advertiser's hash chain with {@link HashChain#seal}, many advertisers
 *   interleaved, produced as the relay produces (key = advertiserId, acks=all, idempotent, lz4). audit-service ingests
 *   them all first, so that the replay rebuilds a full history next to a full live one, as it would in production,
 *   and the digests at the swap cover both.</li>
 *   <li>The replay: {@code POST /api/v1/admin/replay}, then its status once a second until it is DONE; the rate is
 *   the records it read over the time from its start to its end as the service recorded them (both on its clock),
 *   which includes the catch-up and the swap.</li>
 *   <li>The raw limit: a plain consumer of the same topic from offset 0 COPYing the same columns into a table of the
 *   same shape (same columns, defaults and indexes) in the same database, one transaction per poll.</li>
 * </ol>
 */
final class ReplayBenchmark {

    /** What the replay did, as the harness saw it. */
    record Result(long topicRecords, long produced, int advertisers, int meanEnvelopeBytes, double produceSeconds,
                  double ingestSeconds, String status, long done, long total, double replaySeconds,
                  double wallSeconds, boolean digestsEqual, String digest, Long swapMillis, Long lockMillis,
                  List<long[]> progress, Benchmark.Memory memory, Raw raw) {

        double rate() {
            return done / replaySeconds;
        }
    }

    /** The raw limit: records read and rows copied, and how long it took. */
    record Raw(long records, double seconds, Benchmark.Memory memory) {

        double rate() {
            return records / seconds;
        }
    }

    private static final String[] CYCLE = {"AdvertiserWarned", "AdvertiserWarned", "AdvertiserWarned",
            "EvidenceAttached", "AdvertiserWarned", "NoteAdded", "AdvertiserWarned", "AdvertiserRestricted",
            "AdvertiserWarned", "AdvertiserBanned"};

    private final StackConfig config;
    private final PrintStream out;
    private final HttpClient http;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    ReplayBenchmark(StackConfig config, PrintStream out, HttpClient http) {
        this.config = config;
        this.out = out;
        this.http = http;
    }

    Result run(int events, int advertisers, java.util.function.Supplier<Benchmark.MemoryProbe> memory)
            throws Exception {
        long before = topicRecords();
        long toProduce = Math.max(0, events - before);
        out.printf("replay: the topic holds %,d records; producing %,d more for %,d advertisers%n", before,
                toProduce, advertisers);
        long produceStart = System.nanoTime();
        AtomicLong bytes = new AtomicLong();
        produce(toProduce, advertisers, bytes);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        long topic = topicRecords();
        out.printf("replay: produced %,d records (%,d bytes each on average) in %.1f s; waiting for audit-service to "
                + "ingest them%n", toProduce, toProduce == 0 ? 0 : bytes.get() / toProduce, produceSeconds);
        awaitIngested(topic, Duration.ofMinutes(30));
        double ingestSeconds = (System.nanoTime() - produceStart) / 1e9;
        out.printf("replay: audit-service holds all %,d records %.1f s after the first was produced%n", topic,
                ingestSeconds);

        Benchmark.MemoryProbe sampler = memory.get();
        long wallStart = System.nanoTime();
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(config.auditUrl()
                        + "/api/v1/admin/replay")).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic("admin1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            sampler.stop();
            throw new IllegalStateException("replay: " + started.statusCode() + " " + started.body());
        }
        String replayId = EventJson.mapper().readTree(started.body()).path("replayId").asText();
        List<long[]> progress = new ArrayList<>();
        JsonNode status;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (true) {
            status = EventJson.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(config.auditUrl()
                            + "/api/v1/admin/replay/" + replayId)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", basic("admin1")).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            long elapsedMs = (System.nanoTime() - wallStart) / 1_000_000;
            progress.add(new long[] {elapsedMs, status.path("done").asLong(), status.path("ratePerSecond").asLong()});
            if (!status.path("status").asText().equals("RUNNING")) {
                break;
            }
            if (progress.size() % 5 == 0) {
                out.printf("replay: %,d of %,d records after %.0f s, %,d/s%n", status.path("done").asLong(),
                        status.path("total").asLong(), elapsedMs / 1000.0, status.path("ratePerSecond").asLong());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replay did not end within 30 minutes: " + status);
            }
            TimeUnit.MILLISECONDS.sleep(1000);
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        Benchmark.Memory replayMemory = sampler.stop();
        double replaySeconds = Duration.between(Instant.parse(status.path("startedAt").asText()),
                Instant.parse(status.path("finishedAt").asText())).toMillis() / 1000.0;
        Long swapMillis = status.hasNonNull("swapMillis") ? status.path("swapMillis").asLong() : null;
        Long lockMillis = status.hasNonNull("lockMillis") ? status.path("lockMillis").asLong() : null;
        out.printf("replay: %s, %,d records in %.1f s = %,.0f/s (service's clock), digests %s%n",
                status.path("status").asText(), status.path("done").asLong(), replaySeconds,
                status.path("done").asLong() / replaySeconds, status.path("equal").asBoolean() ? "equal" : "DIFFER");

        Benchmark.MemoryProbe rawSampler = memory.get();
        Raw raw = raw(topic, rawSampler);
        out.printf("replay, raw limit: %,d records consumed and COPYed in %.1f s = %,.0f/s%n", raw.records(),
                raw.seconds(), raw.rate());
        return new Result(topic, toProduce, advertisers, toProduce == 0 ? 0 : (int) (bytes.get() / toProduce),
                produceSeconds, ingestSeconds, status.path("status").asText(), status.path("done").asLong(),
                status.path("total").asLong(), replaySeconds, wallSeconds, status.path("equal").asBoolean(),
                status.path("digestLive").asText(), swapMillis, lockMillis, progress, replayMemory, raw);
    }

    // ---------------------------------------------------------------- the backlog

    /**
     * {@code count} envelopes, one round over all advertisers after another (so that advertisers interleave on the
     * topic as they would), each sealed onto its advertiser's chain; two threads, each with half of the advertisers.
     */
    private void produce(long count, int advertisers, AtomicLong bytes) throws Exception {
        if (count == 0) {
            return;
        }
        Map<String, JsonNode> samples = samples();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            int threads = 2;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    List<Integer> mine = new ArrayList<>();
                    for (int a = thread; a < advertisers; a += threads) {
                        mine.add(a);
                    }
                    String[] prev = new String[advertisers];
                    String[] decision = new String[advertisers];
                    java.util.Arrays.fill(prev, HashChain.GENESIS);
                    for (long round = 0; ; round++) {
                        for (int a : mine) {
                            long n = round * advertisers + a;
                            if (n >= count) {
                                return;
                            }
                            String advertiser = "replay-" + runId + "-" + a;
                            Envelope sealed = HashChain.seal(envelope(samples, advertiser, round, decision, a),
                                    prev[a]);
                            prev[a] = sealed.integrity().hash();
                            byte[] value = HashChain.canonicalText(sealed).getBytes(StandardCharsets.UTF_8);
                            bytes.addAndGet(value.length);
                            producer.send(new ProducerRecord<>(Envelope.TOPIC, advertiser, value), (m, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                        }
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("producing the backlog failed", failure.get());
            }
        }
    }

    private static Map<String, JsonNode> samples() throws IOException {
        Map<String, JsonNode> samples = new java.util.HashMap<>();
        for (String type : new String[] {"AdvertiserRegistered", "AdvertiserWarned", "AdvertiserRestricted",
                "AdvertiserBanned", "EvidenceAttached", "NoteAdded"}) {
            try (InputStream in = Envelope.class.getResourceAsStream("/samples/" + type + ".v1.json")) {
                if (in == null) {
                    throw new IllegalStateException("no approved sample of " + type);
                }
                samples.put(type, EventJson.mapper().readTree(in));
            }
        }
        return samples;
    }

    /** The {@code sequence}th event of an advertiser: the approved sample of its type, made its own. */
    private static Envelope envelope(Map<String, JsonNode> samples, String advertiser, long sequence,
                                     String[] decisions, int a) {
        String type = sequence == 0 ? "AdvertiserRegistered" : CYCLE[(int) ((sequence - 1) % CYCLE.length)];
        if (decisions[a] == null && (type.equals("EvidenceAttached") || type.equals("NoteAdded"))) {
            type = "AdvertiserWarned";
        }
        ObjectNode node = samples.get(type).deepCopy();
        String command = UUID.randomUUID().toString();
        node.put("eventId", UUID.randomUUID().toString());
        node.put("advertiserId", advertiser);
        node.put("sequence", sequence);
        String occurred = EventJson.formatTime(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence * 60));
        node.put("occurredAt", occurred);
        node.put("commandId", command);
        node.put("causationId", command);
        node.put("correlationId", command);
        ObjectNode payload = (ObjectNode) node.get("payload");
        switch (type) {
            case "AdvertiserRegistered" -> {
                payload.put("advertiserId", advertiser);
                payload.put("legalName", "Replay benchmark advertiser " + a);
                node.put("effectiveAt", occurred);
            }
            case "EvidenceAttached", "NoteAdded" -> {
                payload.put("decisionId", decisions[a]);
                if (type.equals("NoteAdded")) {
                    payload.put("noteId", UUID.randomUUID().toString());
                    payload.put("text", "Note " + sequence + " on the decision, for the case file.");
                }
                node.put("effectiveAt", occurred);
            }
            default -> {
                decisions[a] = UUID.randomUUID().toString();
                payload.put("decisionId", decisions[a]);
                ((ObjectNode) payload.get("terms")).put("statement", "Ad " + sequence + " of " + advertiser
                        + " misled users about the product advertised.");
            }
        }
        node.remove("integrity");
        try {
            return EventJson.mapper().treeToValue(node, Envelope.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitIngested(long records, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = audit(); Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet rows = statement.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM "
                        + "consumer_position WHERE topic = '" + Envelope.TOPIC + "'")) {
                    rows.next();
                    if (rows.getLong(1) >= records) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("audit-service did not ingest " + records + " records within "
                            + timeout);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    // ---------------------------------------------------------------- the raw limit

    private static final String COLUMNS = "event_id, advertiser_id, sequence, event_type, schema_version, "
            + "occurred_at, effective_at, actor_id, envelope, topic_partition, topic_offset, understood, policy_id, "
            + "decision_id, replacement_decision_id";

    /**
     * A plain consumer from offset 0 to the end, each poll's records parsed (Jackson tree) for the columns, each
     * event once (a set of the event ids seen, in memory), and COPYed (binary, as the replay does) into {@code bench_replay_raw}, shaped like audit_event (its columns, defaults and indexes; an
     * arrival-order sequence of its own), one committed transaction per poll.
     */
    private Raw raw(long records, Benchmark.MemoryProbe sampler) throws Exception {
        try (Connection connection = audit(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench_replay_raw");
            statement.execute("DROP SEQUENCE IF EXISTS bench_replay_raw_seq");
            statement.execute("CREATE TABLE bench_replay_raw (LIKE audit_event INCLUDING ALL)");
            statement.execute("CREATE SEQUENCE bench_replay_raw_seq OWNED BY bench_replay_raw.audit_seq");
            statement.execute("ALTER TABLE bench_replay_raw ALTER COLUMN audit_seq SET DEFAULT "
                    + "nextval('bench_replay_raw_seq')");
            connection.setAutoCommit(false);
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long read = 0;
            long begin = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(Envelope.TOPIC, Duration.ofSeconds(30))
                        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                BinaryCopy rowsOfPoll = new BinaryCopy();
                // The topic holds re-sends (section 3 re-publishes a backlog): each event is copied once, the first
                // time it is read, as audit-service stores it.
                java.util.Set<UUID> seen = new java.util.HashSet<>();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    rowsOfPoll.clear();
                    int rows = 0;
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                                && row(rowsOfPoll, record, seen)) {
                            rows++;
                        }
                        read++;
                    }
                    if (rows > 0) {
                        var in = copy.copyIn("COPY bench_replay_raw (" + COLUMNS + ") FROM STDIN WITH "
                                + BinaryCopy.FORMAT);
                        in.writeToCopy(BinaryCopy.HEADER, 0, BinaryCopy.HEADER.length);
                        in.writeToCopy(rowsOfPoll.array(), 0, rowsOfPoll.size());
                        in.writeToCopy(BinaryCopy.TRAILER, 0, BinaryCopy.TRAILER.length);
                        in.endCopy();
                        connection.commit();
                    }
                }
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            Benchmark.Memory memory = sampler.stop();
            connection.setAutoCommit(true);
            statement.execute("DROP TABLE bench_replay_raw");
            return new Raw(read, seconds, memory);
        }
    }

    /** One row of the columns, or false for a record that is not an envelope (the raw reader skips it). */
    private static boolean row(BinaryCopy rows, ConsumerRecord<byte[], byte[]> record, java.util.Set<UUID> seen) {
        JsonNode e;
        String text = new String(record.value(), StandardCharsets.UTF_8);
        try {
            e = EventJson.mapper().readTree(text);
        } catch (IOException notJson) {
            return false;
        }
        if (e == null || !e.isObject() || !e.path("eventId").isTextual()) {
            return false;
        }
        try {
            if (!seen.add(UUID.fromString(e.path("eventId").asText()))) {
                return false;
            }
        } catch (IllegalArgumentException notUuid) {
            return false;
        }
        JsonNode payload = e.path("payload");
        JsonNode terms = payload.has("terms") ? payload.path("terms") : payload.path("replacementTerms");
        String occurred = e.path("occurredAt").asText();
        rows.row(15).uuid(UUID.fromString(e.path("eventId").asText())).text(e.path("advertiserId").asText())
                .int8(e.path("sequence").asLong()).text(e.path("eventType").asText())
                .int4(e.path("schemaVersion").asInt()).timestamptz(Instant.parse(occurred))
                .timestamptz(Instant.parse(e.path("effectiveAt").asText(occurred)))
                .text(e.path("actor").path("id").asText(null)).bytes(record.value())
                .int4(record.partition()).int8(record.offset()).bool(true)
                .text(terms.path("policy").path("id").asText(null))
                .uuid(uuidOrNull(payload.path("decisionId").asText(null)))
                .uuid(uuidOrNull(payload.path("replacementDecisionId").asText(null)));
        return true;
    }

    private static UUID uuidOrNull(String value) {
        return value == null ? null : UUID.fromString(value);
    }

    // ---------------------------------------------------------------- alone

    /**
     * Section 6 alone, on a stack of its own, to work on the replay: {@code ReplayBenchmark [events] [advertisers]}.
     * The services get {@code VERDICT_BENCH_SERVICE_OPTIONS} as JAVA_TOOL_OPTIONS when it is set (a profiler agent,
     * for example). Prints the figures; writes no report.
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int advertisers = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(1, events / 100);
        java.nio.file.Path repository = java.nio.file.Path.of(System.getProperty("verdict.repository", "."))
                .toAbsolutePath().normalize();
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("verdict-replay-bench");
        String options = System.getenv("VERDICT_BENCH_SERVICE_OPTIONS");
        StackConfig config = StackConfig.onFreePorts(repository, home);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (dev.verdict.local.Stack stack = new dev.verdict.local.Stack(config, System.out,
                options == null ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", options))) {
            stack.start();
            Result result = new ReplayBenchmark(config, System.out, http).run(events, advertisers, () -> () ->
                    Benchmark.Memory.NONE);
            System.out.printf("replay %,d records: %.1f s, %,.0f/s; raw %,.0f/s; swap %s ms, readers held %s ms%n",
                    result.done(), result.replaySeconds(), result.rate(), result.raw().rate(), result.swapMillis(),
                    result.lockMillis());
        } finally {
            try (var files = java.nio.file.Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- helpers

    private long topicRecords() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return Benchmark.topicRecords(consumer, Envelope.TOPIC);
        }
    }

    private Connection audit() throws Exception {
        return DriverManager.getConnection(config.jdbcUrl("audit"), Postgres.USER, Postgres.PASSWORD);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }
}
