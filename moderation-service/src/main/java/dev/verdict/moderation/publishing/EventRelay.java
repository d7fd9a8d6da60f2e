package dev.verdict.moderation.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.verdict.servicekit.TopicProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * beyond its position ({@link EventStoreReader}) and sends every event asynchronously; while Kafka has not yet
 * acknowledged it, the publisher reads and sends the next batches beyond it, up to
 * {@link PublishingProperties#batchesInFlight()} (so that an event appended meanwhile does not wait for a slow
 * acknowledgement of an earlier read; see {@link #mayReadAgain()}). The position ({@link PublicationPosition}) moves
 * past a batch only once Kafka has acknowledged it and every batch before it. A failure at any point leaves the
 * position where it was, and the batches beyond it are read and sent again: consumers are idempotent on the event id.
 * One advertiser's events go to one partition, whose order the idempotent producer keeps through its retries; a
 * batch that fails for good is sent again after whatever was already handed to the producer, so consumers order an
 * advertiser's events by their sequence (as the audit history does), not by their arrival.
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
    /** Saved: every event below it, gaps apart, was acknowledged. */
    private PublicationPosition position;
    /** Past the latest read: batches between the two are in flight. */
    private PublicationPosition readPosition;
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private long lastRead;

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
                boolean progress = publishStep();
                failures = 0;
                if (stopping && !progress && inFlight.isEmpty()) {
                    break;
                }
                if (stopping && System.nanoTime() > drainDeadline) {
                    log.warn("stopping with events still unpublished; the next publisher sends them");
                    break;
                }
                if (!progress) {
                    // Woken by an append committed here, or by Kafka acknowledging the last event of a batch.
                    idle(pause());
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
                backOff(backoff);
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
            readPosition = position;
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

    /**
     * One step: reads and sends batches while fewer than {@link PublishingProperties#batchesInFlight()} await Kafka
     * (see {@link #mayReadAgain()}), then retires the acknowledged ones at the head, in the order they were read,
     * saving the position past the last of them.
     *
     * @return whether anything was read or retired
     */
    private boolean publishStep() throws Exception {
        topics.ensureTopic();
        boolean read = false;
        while (inFlight.size() < properties.batchesInFlight() && mayReadAgain()) {
            Batch batch = readAndSend();
            if (batch == null) {
                break;
            }
            inFlight.add(batch);
            read = true;
        }
        return retire() || read;
    }

    /**
     * With nothing in flight, at once. Beyond a batch that Kafka has not acknowledged yet: at once when that batch's
     * read was cut by the batch size or bytes (a backlog), otherwise one poll interval after the latest read. Kafka
     * usually answers within that interval, and the next read then simply follows the acknowledgement; reading at
     * every commit instead cost PostgreSQL a read per event or two (measured: 23,802 reads for 20,000 events at 250/s). A
     * slow acknowledgement thus delays the events appended after it by about one poll interval, not by its own
     * length.
     */
    private boolean mayReadAgain() {
        Batch last = inFlight.peekLast();
        return last == null || !last.complete || System.nanoTime() - lastRead >= pollInterval();
    }

    private long pollInterval() {
        return TimeUnit.MILLISECONDS.toNanos(properties.pollIntervalMs());
    }

    /** How long to wait for a commit or an acknowledgement when a step did nothing: until the next read may start. */
    private Duration pause() {
        Batch last = inFlight.peekLast();
        long wait = pollInterval();
        if (last != null && inFlight.size() < properties.batchesInFlight()) {
            wait = Math.min(wait, lastRead + pollInterval() - System.nanoTime());
        }
        return Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
    }

    /** Reads past the position of the latest read and sends what it found; null when nothing changed. */
    private Batch readAndSend() throws Exception {
        long started = System.nanoTime();
        EventStoreReader.Read read = EventStoreReader.read(lease.connection(), readPosition, properties.batchSize(),
                properties.batchBytes().toBytes());
        List<Long> indexes = read.indexes();
        // New gaps need a horizon: a transaction id assigned after the read's snapshot (only then, to spare ids).
        long horizon = readPosition.opensGaps(indexes)
                ? EventStoreReader.freshTransactionId(lease.connection()) : Long.MAX_VALUE;
        long wasRead = System.nanoTime();
        lastRead = wasRead;
        readStep.record(wasRead - started, TimeUnit.NANOSECONDS);
        PublicationPosition next = readPosition.after(new PublicationPosition.Snapshot(read.xmin(), horizon), indexes,
                read.complete());
        if (read.events().isEmpty() && next.equals(readPosition)) {
            return null;
        }
        Batch batch = new Batch(read.events(), next, read.complete(), wasRead);
        for (StoredEvent event : read.events()) {
            producer.send(records.record(event), batch::onAcknowledgement);
        }
        readPosition = next;
        track(next);
        return batch;
    }

    /** The gauges follow the latest read: the highest index read past, and the gaps still awaited below it. */
    private void track(PublicationPosition read) {
        awaited.set(read.awaitedIndexes());
        lastIndex.set(read.lastIndex());
    }

    /**
     * Retires the batches at the head that Kafka has acknowledged entirely, and saves the position past the last of
     * them: the saved position never passes an event Kafka has not acknowledged. Then a batch refused, or the oldest
     * still waiting past the delivery timeout, fails the step; the caller gives up the lease, and the next read starts
     * from the saved position again.
     */
    private boolean retire() throws Exception {
        PublicationPosition done = null;
        while (!inFlight.isEmpty() && inFlight.peek().acknowledged()) {
            Batch batch = inFlight.poll();
            if (!batch.events.isEmpty()) {
                acknowledgeStep.record(batch.acknowledgedAt - batch.sentAt, TimeUnit.NANOSECONDS);
                Instant acknowledged = Instant.now().minusNanos(System.nanoTime() - batch.acknowledgedAt);
                for (StoredEvent event : batch.events) {
                    lag.record(Duration.between(Instant.parse(event.timeStamp()), acknowledged));
                }
                published.increment(batch.events.size());
            }
            done = batch.after;
        }
        if (done != null && !done.equals(position)) {
            long saving = System.nanoTime();
            lease.save(done);
            saveStep.record(System.nanoTime() - saving, TimeUnit.NANOSECONDS);
            position = done;
        }
        for (Batch batch : inFlight) {
            batch.throwIfFailed();
        }
        if (!inFlight.isEmpty()) {
            inFlight.peek().throwIfOverdue(properties.deliveryTimeout().plusSeconds(5));
        }
        return done != null;
    }

    private void release() {
        if (lease != null) {
            lease.close();
            lease = null;
            position = null;
            readPosition = null;
            // Sends still in flight may yet land: consumers are idempotent on the event id.
            inFlight.clear();
            leading.set(0);
        }
    }

    private Duration backoff(int failures) {
        long millis = Math.min(properties.maxRetryBackoff().toMillis(), 100L << Math.min(failures - 1, 10));
        return Duration.ofMillis(millis);
    }

    /**
     * Waits the whole back-off, unless the relay is stopped: the acknowledgements of batches still in flight, and an
     * append committed meanwhile, wake an idle relay, but must not cut a back-off short. (They did: a record Kafka
     * refused at once woke the relay through its own callback, and the relay sent it again about forty times a
     * second while logging a back-off of seconds.)
     */
    private void backOff(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0 && running; left = deadline - System.nanoTime()) {
            idle(Duration.ofNanos(Math.max(left, 1_000_000)));
        }
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

    /** Events read together, sent, and retired together once Kafka has acknowledged every one of them. */
    private final class Batch {
        final List<StoredEvent> events;
        final PublicationPosition after;
        final boolean complete;
        final long sentAt;
        private final AtomicInteger unacknowledged;
        private volatile Exception failure;
        /** Written before {@link #allAcknowledged}, and read only once that is seen true. */
        private long acknowledgedAt;
        private volatile boolean allAcknowledged;

        Batch(List<StoredEvent> events, PublicationPosition after, boolean complete, long sentAt) {
            this.events = events;
            this.after = after;
            this.complete = complete;
            this.sentAt = sentAt;
            this.unacknowledged = new AtomicInteger(events.size());
            this.acknowledgedAt = sentAt;
            this.allAcknowledged = events.isEmpty();
        }

        /** Kafka's callback, on the producer's thread. */
        void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                failure = exception;
                wake();
            } else if (unacknowledged.decrementAndGet() == 0) {
                acknowledgedAt = System.nanoTime();
                allAcknowledged = true;
                wake();
            }
        }

        boolean acknowledged() {
            return allAcknowledged && failure == null;
        }

        void throwIfFailed() throws PublicationFailed {
            if (failure != null) {
                throw new PublicationFailed("Kafka refused a batch of " + events.size() + " events", failure);
            }
        }

        void throwIfOverdue(Duration limit) throws PublicationFailed {
            if (System.nanoTime() - sentAt > limit.toNanos()) {
                throw new PublicationFailed("Kafka did not acknowledge a batch of " + events.size() + " events in "
                        + limit, null);
            }
        }
    }

    /** A batch Kafka did not acknowledge: the position stays, and the batch is sent again. */
    static class PublicationFailed extends Exception {
        PublicationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
