package dev.verdict.moderation.publishing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the event topic when it is missing, with retention forever so any consumer can rebuild from offset 0.
 * It is asked before every publication until it once succeeds, so the service starts and accepts commands while
 * Kafka is unreachable (the event store is the truth) and publishes once Kafka answers.
 */
@Component
public class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final PublishingProperties properties;
    private volatile boolean ready;

    public TopicProvisioner(Admin admin, PublishingProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    /** Makes sure the topic exists; throws when Kafka cannot say so. */
    public void ensureTopic() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            try {
                if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(properties.topic())) {
                    NewTopic topic = new NewTopic(properties.topic(), properties.partitions(),
                            properties.replicationFactor())
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                                    TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
                    admin.createTopics(List.of(topic)).all().get(15, TimeUnit.SECONDS);
                    log.info("created topic {} ({} partitions, replication factor {}, retention forever)",
                            properties.topic(), properties.partitions(), properties.replicationFactor());
                }
                ready = true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    ready = true;
                    return;
                }
                throw new IllegalStateException("cannot provision topic " + properties.topic(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not answer while provisioning " + properties.topic(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while provisioning " + properties.topic(), e);
            }
        }
    }
}
