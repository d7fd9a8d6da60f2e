package dev.verdict.audit.ingest;

import dev.verdict.contract.Envelope;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bootstrapServers Kafka brokers (VERDICT_KAFKA_BOOTSTRAP_SERVERS)
 * @param groupId          consumer group; instances of audit-service share it and split the partitions
 * @param maxPollRecords   the most records written in one transaction
 * @param retryBackoff     pause after a failed write before the batch is read again
 * @param deadLetterReplicationFactor replication factor of the dead-letter topic when audit-service creates it
 * @param lagRefresh       how often the consumer-lag gauges are recomputed (one admin call and one query)
 */
@ConfigurationProperties("verdict.ingest")
public record IngestProperties(@DefaultValue("localhost:9092") String bootstrapServers,
                               @DefaultValue(Envelope.TOPIC) String topic,
                               @DefaultValue("audit-service") String groupId,
                               @DefaultValue("2000") int maxPollRecords,
                               @DefaultValue("1s") Duration retryBackoff,
                               @DefaultValue("1") short deadLetterReplicationFactor,
                               @DefaultValue("5s") Duration lagRefresh) {
}
