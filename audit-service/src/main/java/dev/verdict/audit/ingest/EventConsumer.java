package dev.verdict.audit.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Reads the event topic into the audit database. The position that counts is the one stored with the rows
 * ({@link AuditWriter}): on every assignment the consumer seeks there (or to offset 0 for a partition never seen),
 * so a crash at any point neither skips nor double-counts an event. Kafka's committed offsets are also updated,
 * after the database commit, only so that lag can be watched with Kafka's own tools: they never run ahead of the rows.
 *
 * <p>Shutdown: {@link #stop()} runs in the first lifecycle phase to stop ({@link SmartLifecycle#DEFAULT_PHASE}),
 * before the web server and long before the data source closes. It lets the batch being written commit (rows and
 * positions together) or, if it cannot, roll back whole; nothing is half-stored, and the next owner of a partition
 * resumes from the stored position either way.
 */
@Component
public class EventConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

    private static final Duration STOP_WAIT = Duration.ofSeconds(25);

    private final IngestProperties properties;
    private final AuditWriter writer;
    private final IngestMetrics metrics;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    /** Partitions of a batch that failed to store; the consumer seeks them back before it polls again. */
    private Set<TopicPartition> rewindPending = Set.of();
    private Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public EventConsumer(IngestProperties properties, AuditWriter writer, IngestMetrics metrics) {
        this.properties = properties;
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, properties.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords(),
                // An instance that dies without leaving the group (kill -9, a lost host) holds its partitions until
                // its session expires: 10 s instead of Kafka's default 45 s, measured by the reliability suite as
                // the time before the history catches up again.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "audit-service-ingest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "audit-ingest");
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(properties.topic()), new SeekToStoredPositions());
            while (running) {
                try {
                    if (!rewindPending.isEmpty()) {
                        rewind(rewindPending);
                        rewindPending = Set.of();
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        store(records);
                    }
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    // Kafka or the database is unavailable. A failed batch is rewound before the next poll (and
                    // the rewind itself is retried), so the consumer never reads past what the database holds.
                    log.warn("audit ingestion interrupted; retrying after {}", properties.retryBackoff(), e);
                    pause();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private void store(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        try {
            int inserted;
            try {
                inserted = writer.write(batch);
            } catch (RuntimeException e) {
                if (!Refusals.refused(e)) {
                    throw e;
                }
                // Something in the batch cannot be stored (not the database being away): store the records one by
                // one, and send the one that still fails to the dead-letter topic instead of stopping on it forever.
                inserted = isolate(batch);
            }
            log.debug("stored {} new of {} records", inserted, batch.size());
            // Only now, with the rows and their positions committed, may Kafka hear of the new offsets.
            Map<TopicPartition, OffsetAndMetadata> committed = new java.util.HashMap<>();
            Map<TopicPartition, Long> newest = new java.util.HashMap<>();
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
                ConsumerRecord<String, byte[]> last = partitionRecords.get(partitionRecords.size() - 1);
                committed.put(partition, new OffsetAndMetadata(last.offset() + 1));
                newest.put(partition, last.timestamp());
            }
            metrics.stored(inserted, newest);
            consumer.commitAsync(committed, null);
        } catch (RuntimeException e) {
            rewindPending = Set.copyOf(records.partitions());
            throw e;
        }
    }

    private int isolate(List<ConsumerRecord<String, byte[]>> batch) {
        int inserted = 0;
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                inserted += writer.write(List.of(record));
            } catch (RuntimeException e) {
                if (!Refusals.refused(e)) {
                    throw e;
                }
                String reason = "the projection failed: " + NestedExceptionUtils.getMostSpecificCause(e).getMessage();
                log.warn("record {}-{}@{} goes to the dead-letter topic: {}", record.topic(), record.partition(),
                        record.offset(), reason);
                writer.deadLetter(record, reason);
            }
        }
        return inserted;
    }

    /** After a failed write, the next poll must return the same records: seek back to what the database holds. */
    private void rewind(Collection<TopicPartition> partitions) {
        Set<TopicPartition> stillAssigned = new java.util.HashSet<>(partitions);
        stillAssigned.retainAll(consumer.assignment());
        positionsOrZero(stillAssigned).forEach(consumer::seek);
    }

    private Map<TopicPartition, Long> positionsOrZero(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = writer.positions(properties.topic());
        Map<TopicPartition, Long> result = new java.util.HashMap<>();
        for (TopicPartition partition : partitions) {
            result.put(partition, stored.getOrDefault(partition, 0L));
        }
        return result;
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(properties.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private final class SeekToStoredPositions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> positions = positionsOrZero(partitions);
            positions.forEach(consumer::seek);
            metrics.assigned(partitions);
            log.info("assigned {}; resuming at the positions stored with the history: {}", partitions, positions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Each batch is stored with its positions in one transaction: nothing to flush.
            metrics.revoked(partitions);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            if (!stopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                // Its transaction then fails when the data source closes and rolls back whole: nothing half-stored.
                log.warn("the ingest thread did not stop within {}; its open batch will roll back", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops first, so that the data source is still there for the batch in flight. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
