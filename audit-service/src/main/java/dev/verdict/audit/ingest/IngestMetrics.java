package dev.verdict.audit.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * How far the history is behind the topic, and how fast it grows. The ingest loop reports what it stored and which
 * partitions it owns; every {@code lagRefresh} one admin call reads the topic's end offsets (read-committed) and one
 * query the stored positions, for the partitions this instance owns, so that the gauges of two instances in one
 * consumer group add up instead of counting a partition twice.
 *
 * <ul>
 *   <li>{@code verdict.audit.events.stored}: events newly stored (the projection rate is its rate).</li>
 *   <li>{@code verdict.audit.consumer.lag.records} (partition): end offset minus the position stored with the rows.</li>
 *   <li>{@code verdict.audit.consumer.lag.seconds} (partition): 0 when caught up, otherwise how old the newest record
 *   this instance stored from that partition is (its Kafka timestamp); NaN until it stored one.</li>
 *   <li>{@code verdict.audit.dead.letters} and {@code verdict.audit.replay.*} are kept by {@link DeadLetters} and the
 *   replay service.</li>
 * </ul>
 */
@Component
public class IngestMetrics implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IngestMetrics.class);

    private final IngestProperties properties;
    private final AuditWriter writer;
    private final Clock clock = Clock.systemUTC();
    private final Counter stored;
    private final MultiGauge lagRecords;
    private final MultiGauge lagSeconds;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> newestStoredTimestamp = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "audit-lag");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Admin admin;

    public IngestMetrics(IngestProperties properties, AuditWriter writer, MeterRegistry meters) {
        this.properties = properties;
        this.writer = writer;
        this.stored = Counter.builder("verdict.audit.events.stored")
                .description("events newly stored in the history (duplicates not counted)").register(meters);
        this.lagRecords = MultiGauge.builder("verdict.audit.consumer.lag.records")
                .description("records on the topic not yet in the history, per partition this instance owns")
                .register(meters);
        this.lagSeconds = MultiGauge.builder("verdict.audit.consumer.lag.seconds").baseUnit("seconds")
                .description("0 when caught up, else the age of the newest record stored, per partition")
                .register(meters);
        long every = properties.lagRefresh().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    void assigned(Collection<TopicPartition> partitions) {
        assigned.addAll(partitions);
    }

    void revoked(Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
        partitions.forEach(newestStoredTimestamp::remove);
    }

    /** A batch was committed to the database: {@code inserted} new events, the newest record time per partition. */
    void stored(int inserted, Map<TopicPartition, Long> newestTimestamps) {
        stored.increment(inserted);
        newestTimestamps.forEach((partition, timestamp) -> newestStoredTimestamp.merge(partition, timestamp,
                Math::max));
    }

    private void refresh() {
        try {
            List<TopicPartition> owned = List.copyOf(assigned);
            if (owned.isEmpty()) {
                lagRecords.register(List.of(), true);
                lagSeconds.register(List.of(), true);
                return;
            }
            ListOffsetsResult ends = admin().listOffsets(
                    owned.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(5000));
            Map<TopicPartition, Long> positions = writer.positions(properties.topic());
            long now = clock.millis();
            List<MultiGauge.Row<?>> records = new ArrayList<>();
            List<MultiGauge.Row<?>> seconds = new ArrayList<>();
            for (TopicPartition partition : owned) {
                long end = ends.partitionResult(partition).get(5, TimeUnit.SECONDS).offset();
                long lag = Math.max(0, end - positions.getOrDefault(partition, 0L));
                Long newest = newestStoredTimestamp.get(partition);
                double age = lag == 0 ? 0 : newest == null ? Double.NaN : Math.max(0, now - newest) / 1000.0;
                Tags tags = Tags.of("partition", Integer.toString(partition.partition()));
                records.add(MultiGauge.Row.of(tags, lag));
                seconds.add(MultiGauge.Row.of(tags, age));
            }
            lagRecords.register(records, true);
            lagSeconds.register(seconds, true);
        } catch (Exception e) {
            // Kafka or the database is away: keep the last figures (the health groups say what is down).
            log.debug("consumer lag not refreshed: {}", e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "audit-service-lag"));
        }
        return admin;
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
