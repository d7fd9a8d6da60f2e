package dev.verdict.audit.replay;

import dev.verdict.audit.ingest.AuditWriter;
import dev.verdict.audit.ingest.IngestProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the history from offset 0 without downtime for readers: a consumer of its own reads every partition from
 * the beginning into a new table while the live one keeps serving (and the live consumer keeps writing); once it has
 * caught up, one transaction locks the live table, reads the last records up to the live consumer's positions,
 * compares digests of both tables' content, and swaps the new table in by renaming. Progress is kept in
 * {@code replay_run}, logged every 5 s and exposed as gauges.
 */
@Service
public class ReplayService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);
    static final String REBUILD_TABLE = "audit_event_rebuild";
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditWriter writer;
    private final IngestProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-replay"));
    private final AtomicReference<UUID> running = new AtomicReference<>();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    public ReplayService(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditWriter writer,
                         IngestProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.writer = writer;
        this.properties = properties;
        Gauge.builder("verdict.audit.replay.done", done, AtomicLong::get)
                .description("records read by the running replay").register(meters);
        // Not ".total": Prometheus keeps that suffix for counters and would drop it from a gauge's name.
        Gauge.builder("verdict.audit.replay.target", total, AtomicLong::get)
                .description("records the running replay has to read").register(meters);
    }

    /** Starts a replay; empty when one is running already. */
    public Optional<UUID> start() {
        UUID id = UUID.randomUUID();
        if (!running.compareAndSet(null, id)) {
            return Optional.empty();
        }
        jdbc.update("INSERT INTO replay_run (replay_id, status, started_at, total) VALUES (?, 'RUNNING', ?, 0)", id,
                Timestamp.from(clock.instant()));
        runner.submit(() -> run(id));
        return Optional.of(id);
    }

    private void run(UUID id) {
        done.set(0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "audit-service-replay-" + id),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(properties.topic(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
            total.set(partitions.stream().mapToLong(p -> target.get(p) - start.get(p)).sum());
            jdbc.update("UPDATE replay_run SET total = ? WHERE replay_id = ?", total.get(), id);
            jdbc.execute("DROP TABLE IF EXISTS " + REBUILD_TABLE);
            jdbc.execute("CREATE TABLE " + REBUILD_TABLE + " (LIKE audit_event INCLUDING DEFAULTS INCLUDING "
                    + "CONSTRAINTS INCLUDING INDEXES)");
            Instant began = clock.instant();
            readUpTo(id, consumer, target, began);
            // Catch up with the live consumer outside the lock first, so that the swap itself has little left to do.
            readUpTo(id, consumer, livePositions(partitions), began);
            String[] digests = transactions.execute(status -> swap(id, consumer, partitions, began));
            jdbc.update("""
                    UPDATE replay_run SET status = 'DONE', finished_at = ?, done = ?, digest_live = ?,
                        digest_rebuilt = ? WHERE replay_id = ?""", Timestamp.from(clock.instant()), done.get(),
                    digests[0], digests[1], id);
            log.info("replay {}: done, {} records in {}; the rebuilt history {} the live one", id, done.get(),
                    Duration.between(began, clock.instant()), digests[0].equals(digests[1]) ? "equals" : "DIFFERS FROM");
        } catch (RuntimeException e) {
            log.error("replay {} failed", id, e);
            jdbc.update("UPDATE replay_run SET status = 'FAILED', finished_at = ?, error = ? WHERE replay_id = ?",
                    Timestamp.from(clock.instant()), String.valueOf(e.getMessage()), id);
        } finally {
            running.set(null);
        }
    }

    /** Inside one transaction: lock the live table, read what it has beyond the replay, compare, swap. */
    private String[] swap(UUID id, KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                          Instant began) {
        jdbc.execute("LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE");
        readUpTo(id, consumer, livePositions(partitions), began);
        String live = digest("audit_event");
        String rebuilt = digest(REBUILD_TABLE);
        String sequence = jdbc.queryForObject("SELECT pg_get_serial_sequence('audit_event', 'audit_seq')",
                String.class);
        Map<String, String> liveIndexes = indexesByShape("audit_event");
        Map<String, String> rebuiltIndexes = indexesByShape(REBUILD_TABLE);
        jdbc.execute("ALTER TABLE audit_event RENAME TO audit_event_replaced");
        jdbc.execute("ALTER TABLE " + REBUILD_TABLE + " RENAME TO audit_event");
        // The arrival-order sequence is shared by both tables; it now belongs to the new one.
        jdbc.execute("ALTER SEQUENCE " + sequence + " OWNED BY audit_event.audit_seq");
        jdbc.execute("DROP TABLE audit_event_replaced");
        // Give the new table's indexes the names the migrations gave the old ones, so the schema stays as Flyway
        // knows it (a later migration may name them).
        rebuiltIndexes.forEach((shape, name) -> {
            String original = liveIndexes.get(shape);
            if (original != null && !original.equals(name)) {
                jdbc.execute("ALTER INDEX " + name + " RENAME TO " + original);
            }
        });
        return new String[] {live, rebuilt};
    }

    /** A table's indexes by their definition with the table's and the index's own names taken out. */
    private Map<String, String> indexesByShape(String table) {
        Map<String, String> indexes = new HashMap<>();
        jdbc.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ?", rs -> {
            String name = rs.getString(1);
            indexes.put(rs.getString(2).replace(name, "").replace(" ON public." + table + " ", " ON ")
                    .replace(" ON " + table + " ", " ON "), name);
        }, table);
        return indexes;
    }

    private Map<TopicPartition, Long> livePositions(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = writer.positions(properties.topic());
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(p -> positions.put(p, stored.getOrDefault(p, 0L)));
        return positions;
    }

    private void readUpTo(UUID id, KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> target,
                          Instant began) {
        Instant lastLog = clock.instant();
        while (target.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
            consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                if (record.offset() < target.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
                    batch.add(record);
                }
            });
            // Records past the target are read again later: rewind to exactly the target where we overshot.
            target.forEach((partition, offset) -> {
                if (consumer.position(partition) > offset) {
                    consumer.seek(partition, offset);
                }
            });
            if (!batch.isEmpty()) {
                writer.project(REBUILD_TABLE, batch);
                done.addAndGet(batch.size());
            }
            if (Duration.between(lastLog, clock.instant()).compareTo(LOG_EVERY) >= 0) {
                lastLog = clock.instant();
                Progress progress = progress(done.get(), total.get(), began, lastLog);
                log.info("replay {}: {}/{} records, {}/s, ETA {} s", id, progress.done(), progress.total(),
                        progress.ratePerSecond(), progress.etaSeconds());
                jdbc.update("UPDATE replay_run SET done = ? WHERE replay_id = ?", progress.done(), id);
            }
        }
    }

    /** A digest of a history's content (each event's id and envelope), independent of arrival order. */
    private String digest(String table) {
        return jdbc.queryForObject("SELECT coalesce(md5(string_agg(md5(event_id::text || envelope), '' ORDER BY "
                + "event_id)), 'empty') || ':' || count(*) FROM " + table, String.class);
    }

    /** Progress of a run: records read, of how many, how fast, how long still. */
    public record Progress(long done, long total, long ratePerSecond, Long etaSeconds) {
    }

    static Progress progress(long done, long total, Instant began, Instant now) {
        double seconds = Math.max(0.001, Duration.between(began, now).toMillis() / 1000.0);
        long rate = Math.round(done / seconds);
        Long eta = rate == 0 ? null : Math.max(0, (total - done) / Math.max(1, rate));
        return new Progress(done, total, rate, eta);
    }

    boolean isRunning(UUID id) {
        return id.equals(running.get());
    }

    long liveDone() {
        return done.get();
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
