package dev.verdict.moderation.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.verdict.servicekit.TopicProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes the event store to Kafka, in global-index order, each event at least once and none ever skipped.
 *
 * <p>One instance publishes at a time ({@link PublisherLease}); the others stand by. The publisher reads a batch
 * beyond its position ({@link EventStoreReader}), sends every event asynchronously, waits until Kafka has
 * acknowledged all of them, and only then moves its position ({@link PublicationPosition}). A failure at any point
 * leaves the position where it was, and the batch is read and sent again: consumers are idempotent on the event id,
 * and per advertiser the first copy of each event arrives in order.
 *
 * <p>It stops after the web server (no more commands arrive), having drained what is stored, so that an orderly
 * shutdown leaves nothing unsent and no batch half-acknowledged.
 */
@Component
class EventRelay implements SmartLifecycle {

    static final String PUBLISHER = "kafka";
    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(20);

    private final DataSource dataSource;
    private final EventRecords records;
    private final Producer<String, byte[]> producer;
    private final TopicProvisioner topics;
    private final PublishingProperties properties;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Timer lag;
    private final Counter published;
    private final Timer readStep;
    private final Timer acknowledgeStep;
    private final Timer saveStep;
    private final AtomicLong awaited = new AtomicLong();
    private final AtomicLong lastIndex = new AtomicLong();
    private final AtomicLong leading = new AtomicLong();

    private volatile boolean running;
    private Thread thread;
    private PublisherLease lease;
    private PublicationPosition position;

    EventRelay(DataSource dataSource, EventRecords records, Producer<String, byte[]> producer,
               TopicProvisioner topics, PublishingProperties properties, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.records = records;
        this.producer = producer;
        this.topics = topics;
        this.properties = properties;
        this.lag = Timer.builder("verdict.publish.lag")
                .description("From an event's append to Kafka's acknowledgement of it")
                .publishPercentileHistogram()
                .register(meters);
        this.readStep = step("read", "Reading a batch from the event store", meters);
        this.acknowledgeStep = step("acknowledge", "Sending a batch until Kafka acknowledged every event", meters);
        this.saveStep = step("save", "Saving the position past a batch", meters);
        this.published = Counter.builder("verdict.publish.events")
                .description("Events acknowledged by Kafka (a batch sent again after a failure counts again)")
                .register(meters);
        Gauge.builder("verdict.publish.awaited.indexes", awaited, AtomicLong::get)
                .description("Global indexes read past whose transactions may still commit").register(meters);
        Gauge.builder("verdict.publish.position", lastIndex, AtomicLong::get)
                .description("The highest global index the publisher has read past").register(meters);
        Gauge.builder("verdict.publish.leader", leading, AtomicLong::get)
                .description("1 on the instance that publishes, 0 on those standing by").register(meters);
    }

    private static Timer step(String step, String description, MeterRegistry meters) {
        return Timer.builder("verdict.publish.step")
                .description(description)
                .tag("step", step)
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Called after an append commits on this instance, so that its events go out without waiting for a poll. */
    void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "event-relay");
        thread.start();
    }

    private void run() {
        int failures = 0;
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            boolean stopping = !running;
            if (stopping && drainDeadline == Long.MAX_VALUE) {
                drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            }
            try {
                if (lease == null) {
                    if (stopping || !acquire()) {
                        if (stopping) {
                            break;
                        }
                        idle(properties.standbyInterval());
                        continue;
                    }
                }
                int sent = publishBatch();
                failures = 0;
                if (sent == 0) {
                    if (stopping) {
                        break;
                    }
                    idle(Duration.ofMillis(properties.pollIntervalMs()));
                } else if (stopping && System.nanoTime() > drainDeadline) {
                    log.warn("stopping with events still unpublished; the next publisher sends them");
                    break;
                }
            } catch (Exception e) {
                failures++;
                boolean held = lease != null;
                release();
                if (stopping || !running) {
                    if (held) {
                        log.warn("stopping after a failed batch; the next publisher sends it again", e);
                    } else {
                        log.info("stopped while standing by");
                    }
                    break;
                }
                Duration backoff = backoff(failures);
                log.warn("publishing interrupted (attempt {}); the batch is sent again in {}", failures, backoff, e);
                idle(backoff);
            }
        }
        release();
    }

    private boolean acquire() throws Exception {
        lease = PublisherLease.tryAcquire(dataSource, PUBLISHER);
        if (lease == null) {
            return false;
        }
        try {
            position = lease.load();
        } catch (Exception e) {
            release();
            throw e;
        }
        leading.set(1);
        track(position);
        log.info("publishing from global index {} ({} lower indexes awaited)", position.lastIndex(),
                position.awaitedIndexes());
        return true;
    }

    private int publishBatch() throws Exception {
        topics.ensureTopic();
        long started = System.nanoTime();
        EventStoreReader.Read read = EventStoreReader.read(lease.connection(), position, properties.batchSize());
        List<Long> indexes = read.indexes();
        // New gaps need a horizon: a transaction id assigned after the read's snapshot (only then, to spare ids).
        long horizon = position.opensGaps(indexes)
                ? EventStoreReader.freshTransactionId(lease.connection()) : Long.MAX_VALUE;
        long wasRead = System.nanoTime();
        readStep.record(wasRead - started, TimeUnit.NANOSECONDS);
        PublicationPosition next = position.after(new PublicationPosition.Snapshot(read.xmin(), horizon), indexes,
                read.complete());
        if (!read.events().isEmpty()) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(read.events().size());
            for (StoredEvent event : read.events()) {
                sends.add(producer.send(records.record(event)));
            }
            awaitAcknowledgements(sends);
            acknowledgeStep.record(System.nanoTime() - wasRead, TimeUnit.NANOSECONDS);
            Instant acknowledged = Instant.now();
            for (StoredEvent event : read.events()) {
                lag.record(Duration.between(Instant.parse(event.timeStamp()), acknowledged));
            }
            published.increment(read.events().size());
        }
        if (!next.equals(position)) {
            long saving = System.nanoTime();
            lease.save(next);
            saveStep.record(System.nanoTime() - saving, TimeUnit.NANOSECONDS);
            position = next;
            track(next);
        }
        return read.events().size();
    }

    private void awaitAcknowledgements(List<Future<RecordMetadata>> sends) throws Exception {
        long deadline = System.nanoTime() + properties.deliveryTimeout().plusSeconds(5).toNanos();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new PublicationFailed("Kafka refused a batch of " + sends.size() + " events", e.getCause());
        } catch (TimeoutException e) {
            throw new PublicationFailed("Kafka did not acknowledge a batch of " + sends.size() + " events", e);
        }
    }

    private void track(PublicationPosition current) {
        awaited.set(current.awaitedIndexes());
        lastIndex.set(current.lastIndex());
    }

    private void release() {
        if (lease != null) {
            lease.close();
            lease = null;
            position = null;
            leading.set(0);
        }
    }

    private Duration backoff(int failures) {
        long millis = Math.min(properties.maxRetryBackoff().toMillis(), 100L << Math.min(failures - 1, 10));
        return Duration.ofMillis(millis);
    }

    private void idle(Duration duration) {
        try {
            if (wakeUp.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * After the web server has stopped (a lower phase stops later), so that the last commands' events are drained.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public void stop() {
        running = false;
        wake();
        if (leading.get() == 0) {
            // Standing by, nothing to drain: do not let it wait for a connection (up to the pool's timeout, when the
            // database is away) to claim a lease it would give back at once.
            thread.interrupt();
        }
        try {
            thread.join(DRAIN_LIMIT.plus(properties.deliveryTimeout()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A batch Kafka did not acknowledge: the position stays, and the batch is sent again. */
    static class PublicationFailed extends Exception {
        PublicationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
