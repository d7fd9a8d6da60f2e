package dev.verdict.servicekit;

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

/**
 * Creates a topic when it is missing, with retention forever so any consumer can rebuild from offset 0. It is asked
 * before every use until it once succeeds, so a service starts and works while Kafka is unreachable and uses the
 * topic once Kafka answers.
 */
public class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final String topic;
    private final int partitions;
    private final short replicationFactor;
    private volatile boolean ready;

    public TopicProvisioner(Admin admin, String topic, int partitions, short replicationFactor) {
        this.admin = admin;
        this.topic = topic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
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
                if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                    NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                                    TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
                    admin.createTopics(List.of(newTopic)).all().get(15, TimeUnit.SECONDS);
                    log.info("created topic {} ({} partitions, replication factor {}, retention forever)", topic,
                            partitions, replicationFactor);
                }
                ready = true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    ready = true;
                    return;
                }
                throw new IllegalStateException("cannot provision topic " + topic, e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not answer while provisioning " + topic, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while provisioning " + topic, e);
            }
        }
    }
}
