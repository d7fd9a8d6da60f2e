package dev.verdict.moderation.publishing;

import dev.verdict.contract.Envelope;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and how events are published.
 *
 * @param bootstrapServers  Kafka brokers (VERDICT_KAFKA_BOOTSTRAP_SERVERS)
 * @param topic             the integration topic; created at start-up when missing, retention forever
 * @param partitions        partitions of a topic this service creates (one advertiser always maps to one partition)
 * @param replicationFactor replication factor of a topic this service creates (3 in production)
 * @param lingerMs          producer linger: how long a batch may wait to fill
 * @param deliveryTimeout   how long a batch may take to be acknowledged before it is retried from the store
 * @param batchSize         events read from the store and sent per batch (VERDICT_PUBLISH_BATCH_SIZE)
 * @param batchBytes        stored bytes (payloads and metadata) read per batch, at most, unless its first event alone
 *                          is larger (VERDICT_PUBLISH_BATCH_BYTES): with {@code batchesInFlight}, what bounds the
 *                          publisher's memory when the events are large
 * @param batchesInFlight   batches sent and not yet acknowledged by Kafka, at most
 *                          (VERDICT_PUBLISH_BATCHES_IN_FLIGHT; 1 waits for each batch's acknowledgement before reading
 *                          the next); beyond a batch still in flight the next read comes a poll interval later, or at
 *                          once when that batch was cut by the batch size or bytes
 * @param pollIntervalMs    how often an idle publisher looks for events appended by other instances
 *                          (VERDICT_PUBLISH_POLL_INTERVAL_MS); this instance's own appends wake it at once
 * @param standbyInterval   how often a standing-by instance tries to take over publishing
 *                          (VERDICT_PUBLISH_STANDBY_INTERVAL)
 * @param maxRetryBackoff   the longest wait between two attempts after a failure (Kafka or the database away)
 */
@ConfigurationProperties("verdict.publishing")
public record PublishingProperties(@DefaultValue("localhost:9092") String bootstrapServers,
                                   @DefaultValue(Envelope.TOPIC) String topic,
                                   @DefaultValue("6") int partitions,
                                   @DefaultValue("1") short replicationFactor,
                                   @DefaultValue("5") int lingerMs,
                                   @DefaultValue("30s") Duration deliveryTimeout,
                                   @DefaultValue("500") int batchSize,
                                   @DefaultValue("4MB") DataSize batchBytes,
                                   @DefaultValue("4") int batchesInFlight,
                                   @DefaultValue("20") int pollIntervalMs,
                                   @DefaultValue("1s") Duration standbyInterval,
                                   @DefaultValue("5s") Duration maxRetryBackoff) {

    public PublishingProperties {
        if (batchSize < 1 || batchesInFlight < 1) {
            throw new IllegalArgumentException("verdict.publishing.batch-size and batches-in-flight must be at "
                    + "least 1, not " + batchSize + " and " + batchesInFlight);
        }
        if (batchBytes.toBytes() < 1) {
            throw new IllegalArgumentException("verdict.publishing.batch-bytes must be at least 1 byte, not "
                    + batchBytes);
        }
    }
}
