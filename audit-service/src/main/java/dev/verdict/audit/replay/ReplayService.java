package dev.verdict.audit.replay;

import dev.verdict.audit.ingest.AuditWriter;
import dev.verdict.audit.ingest.CopyRows;
import dev.verdict.audit.ingest.IngestProperties;
import dev.verdict.audit.ingest.Refusals;
import dev.verdict.servicekit.AdvisoryLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Rebuilds the history from offset 0 without downtime for readers: a consumer of its own reads every partition from
 * the beginning into a new table while the live one keeps serving (and the live consumer keeps writing); once it has
 * caught up, one transaction locks the live table, reads the last records up to the live consumer's positions,
 * compares digests of both tables' content, and swaps the new table in by renaming. Progress is kept in
 * {@code replay_run}, logged every 5 s and exposed as gauges.
 *
 * <p>Built for a large history (see docs/BENCHMARKS.md, section 6): records are read as live ingestion reads them
 * ({@link CopyRows}), each poll is one COPY into the new table (on a connection of the replay's own, while this
 * thread reads and parses the next poll), the new table's secondary indexes are built once after the load rather than
 * row by row, and the swap keeps readers out only for the renames.
 */
@Service
public class ReplayService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);
    static final String REBUILD_TABLE = "audit_event_rebuild";
    /** The live table once swapped out, until it is dropped right after the swap. */
    static final String REPLACED_TABLE = "audit_event_replaced";
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);
    /**
     * The advisory lock a replay holds while it runs ("VERDICTR" in ASCII): one replay at a time across every
     * instance on the database, since they all rebuild into the same table.
     */
    public static final long LOCK_KEY = 0x5645524449435452L;
    public static final String ABANDONED = "abandoned: the instance running this replay stopped before it finished";

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final AuditWriter writer;
    private final IngestProperties properties;
    /** Records read per poll, and so the most rows of one COPY into the new table. */
    private final int batchSize;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-replay"));
    private final AtomicReference<UUID> running = new AtomicReference<>();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    public ReplayService(JdbcTemplate jdbc, DataSource dataSource, AuditWriter writer, IngestProperties properties,
                         MeterRegistry meters, @Value("${verdict.replay.batch-size:5000}") int batchSize) {
        this.batchSize = batchSize;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.writer = writer;
        this.properties = properties;
        Gauge.builder("verdict.audit.replay.done", done, AtomicLong::get)
                .description("records read by the running replay").register(meters);
        // Not ".total": Prometheus keeps that suffix for counters and would drop it from a gauge's name.
        Gauge.builder("verdict.audit.replay.target", total, AtomicLong::get)
                .description("records the running replay has to read").register(meters);
    }

    /**
     * Starts a replay; empty when one is running already, on this instance or on any other that shares the database
     * (the replay's advisory lock, held until the run ends). A run that was left {@code RUNNING} by an instance that
     * stopped before it finished is marked as such first.
     */
    public Optional<UUID> start() {
        UUID id = UUID.randomUUID();
        if (!running.compareAndSet(null, id)) {
            return Optional.empty();
        }
        AdvisoryLock lock = null;
        try {
            lock = AdvisoryLock.tryAcquire(dataSource, LOCK_KEY).orElse(null);
            if (lock == null) {
                running.set(null);
                return Optional.empty();
            }
            markAbandoned(lock);
            try (PreparedStatement insert = lock.connection().prepareStatement(
                    "INSERT INTO replay_run (replay_id, status, started_at, total) VALUES (?, 'RUNNING', ?, 0)")) {
                insert.setObject(1, id);
                insert.setTimestamp(2, Timestamp.from(clock.instant()));
                insert.executeUpdate();
            }
            AdvisoryLock held = lock;
            runner.submit(() -> {
                try {
                    run(id);
                } finally {
                    held.close();
                    running.set(null);
                }
            });
            return Optional.of(id);
        } catch (SQLException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            running.set(null);
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("could not start a replay", e);
        }
    }

    /**
     * Marks the runs left {@code RUNNING} as failed, if no replay runs now anywhere (nothing holds the replay's lock):
     * the instance that ran them stopped before they finished; the table they were rebuilding is dropped. Called when
     * the service starts, and when a run's status is read as {@code RUNNING} on an instance that does not run it.
     */
    public int markAbandoned() throws SQLException {
        Optional<AdvisoryLock> lock = AdvisoryLock.tryAcquire(dataSource, LOCK_KEY);
        if (lock.isEmpty()) {
            return 0;
        }
        try (AdvisoryLock held = lock.get()) {
            return markAbandoned(held);
        }
    }

    private int markAbandoned(AdvisoryLock lock) throws SQLException {
        try (PreparedStatement update = lock.connection().prepareStatement("""
                UPDATE replay_run SET status = 'FAILED', finished_at = ?, error = ? WHERE status = 'RUNNING'""")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setString(2, ABANDONED);
            int abandoned = update.executeUpdate();
            if (abandoned > 0) {
                // What the stopped run had rebuilt is of no use to anyone and may be large: its disk space back.
                try (Statement statement = lock.connection().createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS " + REBUILD_TABLE);
                }
                log.warn("{} replay run(s) left RUNNING by an instance that stopped are marked FAILED; their "
                        + "partial table is dropped", abandoned);
            }
            return abandoned;
        }
    }

    private void run(UUID id) {
        done.set(0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.CLIENT_ID_CONFIG, "audit-service-replay-" + id),
                new StringDeserializer(), new ByteArrayDeserializer());
             Rebuild rebuild = new Rebuild(dataSource.getConnection(), dataSource.getConnection())) {
            List<TopicPartition> partitions = consumer.partitionsFor(properties.topic(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
            total.set(partitions.stream().mapToLong(p -> target.get(p) - start.get(p)).sum());
            jdbc.update("UPDATE replay_run SET total = ? WHERE replay_id = ?", total.get(), id);
            Instant began = clock.instant();
            rebuild.create();
            readUpTo(id, consumer, target, began, rebuild);
            // The secondary indexes are built once over the whole table (a sort each) rather than row by row, and
            // before the swap, so that the lock never waits for them.
            Instant indexing = clock.instant();
            rebuild.createIndexes();
            log.info("replay {}: {} records loaded; secondary indexes built in {}", id, done.get(),
                    Duration.between(indexing, clock.instant()));
            // Catch up with the live consumer outside the lock first, so that the swap itself has little left to do.
            readUpTo(id, consumer, livePositions(partitions), began, rebuild);
            Swap swap = swap(id, consumer, partitions, began, rebuild);
            jdbc.update("""
                    UPDATE replay_run SET status = 'DONE', finished_at = ?, done = ?, digest_live = ?,
                        digest_rebuilt = ?, swap_millis = ?, lock_millis = ? WHERE replay_id = ?""",
                    Timestamp.from(clock.instant()), done.get(), swap.live(), swap.rebuilt(), swap.millis(),
                    swap.lockMillis(), id);
            log.info("replay {}: done, {} records in {} (the swap paused ingestion {} ms and held readers {} ms; {} "
                    + "events left out as the table refuses them); the rebuilt history {} the live one", id,
                    done.get(), Duration.between(began, clock.instant()), swap.millis(), swap.lockMillis(),
                    rebuild.refused.get(), swap.live().equals(swap.rebuilt()) ? "equals" : "DIFFERS FROM");
        } catch (RuntimeException | SQLException | InterruptedException | ExecutionException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.error("replay {} failed", id, e);
            jdbc.update("UPDATE replay_run SET status = 'FAILED', finished_at = ?, error = ? WHERE replay_id = ?",
                    Timestamp.from(clock.instant()), String.valueOf(e.getMessage()), id);
        }
    }

    /**
     * What the swap found and how long it took: the whole transaction (live ingestion waits that long) and its last
     * part, the renames under the exclusive lock (readers wait that long).
     */
    private record Swap(String live, String rebuilt, long millis, long lockMillis) {
    }

    /**
     * One transaction on the rebuild's connection. First the live table is locked against writers only ({@code
     * SHARE}: readers go on reading it): the rebuild reads what the live consumer has stored beyond it, and the
     * digests of both tables are compared. Only then is the lock raised to {@code ACCESS EXCLUSIVE} for the renames,
     * so readers wait for the renames alone. Any failure rolls all of it back, and the live table stays as it was.
     */
    private Swap swap(UUID id, KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                      Instant began, Rebuild rebuild) throws SQLException, InterruptedException,
            ExecutionException {
        Connection connection = rebuild.connection;
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE audit_event IN SHARE MODE");
            rebuild.inTransaction = true;
            readUpTo(id, consumer, livePositions(partitions), began, rebuild);
            String live = rebuild.digester.live(statement).toString();
            String rebuilt = rebuild.digester.finish(statement).toString();
            String sequence = single(statement, "SELECT pg_get_serial_sequence('audit_event', 'audit_seq')");
            Map<String, String> liveIndexes = indexesByShape(connection, "audit_event");
            Map<String, String> rebuiltIndexes = indexesByShape(connection, REBUILD_TABLE);
            long exclusive = System.nanoTime();
            statement.execute("LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE");
            statement.execute("ALTER TABLE audit_event RENAME TO " + REPLACED_TABLE);
            // The old table is dropped after the swap (unlinking its files is slow), so its indexes give up their
            // names now.
            for (String index : liveIndexes.values()) {
                statement.execute("ALTER INDEX " + index + " RENAME TO " + index + "_replaced");
            }
            statement.execute("ALTER TABLE " + REBUILD_TABLE + " RENAME TO audit_event");
            // The arrival-order sequence is shared by both tables; it now belongs to the new one.
            statement.execute("ALTER SEQUENCE " + sequence + " OWNED BY audit_event.audit_seq");
            // Give the new table's indexes the names the migrations gave the old ones, so the schema stays as Flyway
            // knows it (a later migration may name them).
            for (Map.Entry<String, String> index : rebuiltIndexes.entrySet()) {
                String original = liveIndexes.get(index.getKey());
                if (original != null && !original.equals(index.getValue())) {
                    statement.execute("ALTER INDEX " + index.getValue() + " RENAME TO " + original);
                }
            }
            connection.commit();
            long end = System.nanoTime();
            statement.execute("DROP TABLE " + REPLACED_TABLE);
            connection.commit();
            return new Swap(live, rebuilt, (end - start) / 1_000_000, (end - exclusive) / 1_000_000);
        } catch (SQLException | RuntimeException | InterruptedException | ExecutionException e) {
            connection.rollback();
            throw e;
        }
    }

    /** A table's indexes by their definition with the table's and the index's own names taken out. */
    private static Map<String, String> indexesByShape(Connection connection, String table) throws SQLException {
        Map<String, String> indexes = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ?")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    indexes.put(rs.getString(2).replace(name, "").replace(" ON public." + table + " ", " ON ")
                            .replace(" ON " + table + " ", " ON "), name);
                }
            }
        }
        return indexes;
    }

    private Map<TopicPartition, Long> livePositions(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = writer.positions(properties.topic());
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(p -> positions.put(p, stored.getOrDefault(p, 0L)));
        return positions;
    }

    /**
     * Reads every partition up to {@code target} into the rebuild. Two stages overlap: this thread polls and turns
     * the records into COPY rows while the rebuild's writer stores the previous batch.
     */
    private void readUpTo(UUID id, KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> target,
                          Instant began, Rebuild rebuild) throws InterruptedException, ExecutionException {
        Instant lastLog = clock.instant();
        Future<?> writing = null;
        try {
            while (target.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                CopyRows rows = new CopyRows();
                int records = 0;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < target.getOrDefault(new TopicPartition(record.topic(),
                            record.partition()), 0L)) {
                        rows.add(record);
                        records++;
                    }
                }
                // Records past the target are read again later: rewind to exactly the target where we overshot.
                target.forEach((partition, offset) -> {
                    if (consumer.position(partition) > offset) {
                        consumer.seek(partition, offset);
                    }
                });
                if (writing != null) {
                    writing.get();
                }
                if (records > 0) {
                    int read = records;
                    writing = rebuild.writer.submit(() -> {
                        rebuild.store(rows);
                        done.addAndGet(read);
                        return null;
                    });
                }
                if (Duration.between(lastLog, clock.instant()).compareTo(LOG_EVERY) >= 0) {
                    lastLog = clock.instant();
                    Progress progress = progress(done.get(), total.get(), began, lastLog);
                    log.info("replay {}: {}/{} records, {}/s, ETA {} s", id, progress.done(), progress.total(),
                            progress.ratePerSecond(), progress.etaSeconds());
                    jdbc.update("UPDATE replay_run SET done = ? WHERE replay_id = ?", progress.done(), id);
                }
            }
        } finally {
            if (writing != null) {
                writing.get();
            }
        }
    }

    /**
     * The new table and the one connection that writes it. Each batch is one COPY, in arrival order (the shared
     * sequence numbers the rows as it did the live ones), of the events not stored yet: a re-send within the batch is
     * left out by {@link CopyRows}, one stored by an earlier batch by a look-up of the batch's ids in the primary key.
     * So each event is stored once, the first time it was read, as live ingestion's {@code ON CONFLICT (event_id) DO
     * NOTHING} stores it, with one round trip for the rows instead of one statement per row. This connection is the
     * only writer of the new table, so nothing can slip in between the look-up and the COPY. Before the swap each batch
     * commits on its own; inside it, they are part of the swap's transaction.
     */
    private static final class Rebuild implements AutoCloseable {

        private final Connection connection;
        private final CopyManager copy;
        private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r,
                "audit-replay-writer"));
        private final Digester digester;
        private final AtomicLong refused = new AtomicLong();
        private boolean inTransaction;

        /** What one COPY sends. */
        private interface Rows {
            void writeTo(CopyRows.RowSink sink) throws SQLException;
        }

        Rebuild(Connection connection, Connection digesting) throws SQLException {
            this.connection = connection;
            this.digester = new Digester(digesting);
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
            connection.setAutoCommit(false);
        }

        void create() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + REBUILD_TABLE);
                statement.execute("DROP TABLE IF EXISTS " + REPLACED_TABLE); // left by a crash right after a swap
                // Columns, defaults (the shared arrival-order sequence) and checks; of the indexes only the primary
                // key, which keeps each event once, and the arrival order's, by which the digester finds each batch
                // (always appended at its right end, cheap). The others come after the load (createIndexes).
                statement.execute("CREATE TABLE " + REBUILD_TABLE + " (LIKE audit_event INCLUDING DEFAULTS "
                        + "INCLUDING CONSTRAINTS)");
                statement.execute("ALTER TABLE " + REBUILD_TABLE + " ADD PRIMARY KEY (event_id)");
            }
            createIndexes(definition -> definition.endsWith(" USING btree (audit_seq)"));
            digester.start();
        }

        /** Every index of the live table but its primary key, on the new table; names as in {@link #indexName}. */
        void createIndexes() throws SQLException {
            createIndexes(definition -> true);
        }

        /** Those of them that {@code which} picks (by the live definition) and the new table does not have yet. */
        void createIndexes(java.util.function.Predicate<String> which) throws SQLException {
            List<String[]> definitions = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT i.indexname, i.indexdef FROM pg_indexes i "
                         + "WHERE i.tablename = 'audit_event' AND i.indexname NOT IN (SELECT conname FROM "
                         + "pg_constraint WHERE conrelid = 'audit_event'::regclass AND contype = 'p') "
                         + "AND i.indexname || '_rebuilt' NOT IN (SELECT indexname FROM pg_indexes WHERE tablename = '"
                         + REBUILD_TABLE + "')")) {
                while (rs.next()) {
                    if (which.test(rs.getString(2))) {
                        definitions.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET maintenance_work_mem = '256MB'");
                for (String[] index : definitions) {
                    String name = index[0];
                    String definition = index[1].replace(" INDEX " + name + " ON ", " INDEX " + indexName(name)
                            + " ON ").replace(" ON public.audit_event ", " ON public." + REBUILD_TABLE + " ")
                            .replace(" ON audit_event ", " ON " + REBUILD_TABLE + " ");
                    if (!definition.contains(" ON public." + REBUILD_TABLE + " ")
                            && !definition.contains(" ON " + REBUILD_TABLE + " ")) {
                        throw new IllegalStateException("cannot rebuild index " + name + ": " + index[1]);
                    }
                    statement.execute(definition);
                }
                statement.execute("RESET maintenance_work_mem");
            }
            connection.commit();
        }

        private static String indexName(String original) {
            return original + "_rebuilt";
        }

        void store(CopyRows rows) throws SQLException {
            if (rows.rows() > 0) {
                Set<UUID> stored = new HashSet<>();
                try (PreparedStatement query = connection.prepareStatement("SELECT event_id FROM " + REBUILD_TABLE
                        + " WHERE event_id = ANY (?)")) {
                    query.setArray(1, connection.createArrayOf("uuid", rows.eventIds().toArray()));
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            stored.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
                if (stored.size() < rows.rows()) {
                    // Before the swap the batch is a transaction of its own and a refusal rolls it back; inside
                    // the swap's transaction only the batch may be undone.
                    Savepoint before = inTransaction ? connection.setSavepoint() : null;
                    try {
                        copy(sink -> rows.writeTo(sink, stored));
                        if (before != null) {
                            connection.releaseSavepoint(before);
                        }
                    } catch (SQLException e) {
                        if (!Refusals.refused(e)) {
                            throw e;
                        }
                        if (before != null) {
                            connection.rollback(before);
                        } else {
                            connection.rollback();
                        }
                        storeOneByOne(rows, stored);
                    }
                }
            }
            if (!inTransaction) {
                connection.commit();
                digester.catchUp();
            }
        }

        /** One COPY of what {@code rows} writes. */
        private void copy(Rows rows) throws SQLException {
            CopyIn in = copy.copyIn("COPY " + REBUILD_TABLE + " (" + CopyRows.COLUMNS
                    + ") FROM STDIN WITH " + CopyRows.FORMAT);
            try {
                rows.writeTo(in::writeToCopy);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        }

        /**
         * A batch the table refused: each row on its own, and the ones it still refuses left out, as live ingestion
         * left them out when it first read them (it stores records one by one when a batch fails, and sends the one
         * the table refuses to the dead-letter topic), so the rebuilt history holds what the live one holds.
         */
        private void storeOneByOne(CopyRows rows, Set<UUID> stored) throws SQLException {
            for (int row = 0; row < rows.rows(); row++) {
                if (stored.contains(rows.eventIds().get(row))) {
                    continue;
                }
                int one = row;
                Savepoint before = connection.setSavepoint();
                try {
                    copy(sink -> rows.writeRow(one, sink));
                    connection.releaseSavepoint(before);
                } catch (SQLException e) {
                    if (!Refusals.refused(e)) {
                        throw e;
                    }
                    connection.rollback(before);
                    refused.incrementAndGet();
                    log.warn("replay: event {} ({}) left out: the table refuses it ({}); live ingestion sent it to "
                            + "the dead-letter topic", rows.eventIds().get(row), rows.position(row), e.getMessage());
                }
            }
        }

        @Override
        public void close() throws SQLException {
            writer.shutdownNow();
            try (digester) {
                connection.rollback();
                connection.setAutoCommit(true);
            } finally {
                connection.close();
            }
        }
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A digest of a history's content: each event's id and envelope hashed (MD5), the hashes added up as two 64-bit
     * halves (mod 2^64 each), and the count; {@code empty:0} for none. A sum does not depend on the order of the rows
     * (no sort), PostgreSQL computes it with parallel workers, and the digest of a table is the sum of the digests of
     * any split of its rows, so the new table's can be taken batch by batch while it is written. It is a check that
     * the rebuilt content equals the live one, row for row; the tamper evidence of the history is its hash chains,
     * which the integrity endpoint recomputes from the envelopes.
     */
    record Digest(long count, long high, long low) {

        static final Digest NONE = new Digest(0, 0, 0);

        /** The digest of the rows of {@code table} that {@code condition} selects. */
        static Digest of(Statement statement, String table, String condition) throws SQLException {
            try (ResultSet rs = statement.executeQuery("SELECT count(*), "
                    + "coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0), "
                    + "coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0) "
                    + "FROM (SELECT md5(event_id::text || envelope) AS h FROM " + table + " WHERE " + condition
                    + ") rows")) {
                rs.next();
                return new Digest(rs.getLong(1), rs.getBigDecimal(2).toBigInteger().longValue(),
                        rs.getBigDecimal(3).toBigInteger().longValue());
            }
        }

        /** Both sets of rows together (the halves add with Java's wrap-around, which is mod 2^64). */
        Digest plus(Digest other) {
            return new Digest(count + other.count, high + other.high, low + other.low);
        }

        @Override
        public String toString() {
            HexFormat hex = HexFormat.of();
            return count == 0 ? "empty:0" : hex.toHexDigits(high) + hex.toHexDigits(low) + ":" + count;
        }
    }

    /**
     * The new table's digest, taken on a connection and a thread of its own batch by batch after each commit (the
     * rows just written, by arrival order, which the new table indexes from the start), so that the swap only adds
     * what it wrote itself. Only the replay writes the new table, one batch at a time: every row up to the highest
     * committed arrival number is committed.
     */
    private static final class Digester implements AutoCloseable {

        private final Connection connection;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r,
                "audit-replay-digest"));
        private Digest total = Digest.NONE;
        private long upTo;
        private long liveWatermark;
        private Future<Digest> liveBelowWatermark;

        Digester(Connection connection) {
            this.connection = connection;
        }

        /**
         * Fixes the live table's watermark, its highest arrival number, at a moment when no writer is inside a
         * transaction on it (a {@code SHARE} lock, held for that one query: ingestion waits for at most its batch in
         * flight), so that every row up to it is committed and every later row gets a higher number; then digests
         * the rows up to it, now, while the replay loads. The service never updates or deletes a stored event, so
         * those rows are the same at the swap, which only adds the rows beyond the watermark.
         */
        void start() throws SQLException {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE audit_event IN SHARE MODE");
                try (ResultSet rs = statement.executeQuery("SELECT coalesce(max(audit_seq), 0) FROM audit_event")) {
                    rs.next();
                    liveWatermark = rs.getLong(1);
                }
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
            liveBelowWatermark = thread.submit(() -> {
                try (Statement statement = connection.createStatement()) {
                    return Digest.of(statement, "audit_event", "audit_seq <= " + liveWatermark);
                }
            });
        }

        /** The digest of the whole live table as {@code statement}'s transaction (holding the lock) sees it. */
        Digest live(Statement statement) throws SQLException, InterruptedException, ExecutionException {
            return liveBelowWatermark.get().plus(Digest.of(statement, "audit_event", "audit_seq > "
                    + liveWatermark));
        }

        /** Digests, soon, whatever has been committed to the new table since the last time. */
        Future<?> catchUp() {
            return thread.submit(() -> {
                try (Statement statement = connection.createStatement()) {
                    long committed;
                    try (ResultSet rs = statement.executeQuery("SELECT coalesce(max(audit_seq), 0) FROM "
                            + REBUILD_TABLE)) {
                        rs.next();
                        committed = rs.getLong(1);
                    }
                    if (committed > upTo) {
                        total = total.plus(Digest.of(statement, REBUILD_TABLE, "audit_seq > " + upTo
                                + " AND audit_seq <= " + committed));
                        upTo = committed;
                    }
                }
                return null;
            });
        }

        /** The digest of the whole new table as {@code statement}'s transaction sees it. */
        Digest finish(Statement statement) throws SQLException, InterruptedException, ExecutionException {
            catchUp().get();
            return total.plus(Digest.of(statement, REBUILD_TABLE, "audit_seq > " + upTo));
        }

        @Override
        public void close() throws SQLException {
            thread.shutdownNow();
            connection.close();
        }
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
