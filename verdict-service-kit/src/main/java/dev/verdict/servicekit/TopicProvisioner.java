package dev.verdict.servicekit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
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
                    boolean created = true;
                    try {
                        admin.createTopics(List.of(newTopic)).all().get(15, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                        created = false; // by another instance a moment ago
                    }
                    awaitLeaders();
                    if (created) {
                        log.info("created topic {} ({} partitions, replication factor {}, retention forever)",
                                topic, partitions, replicationFactor);
                    }
                }
                ready = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot provision topic " + topic, e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not answer while provisioning " + topic, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while provisioning " + topic, e);
            }
        }
    }

    /**
     * A topic is usable once every partition has a leader. Sending to one created a moment earlier, before its
     * leader had taken over, was refused (NOT_LEADER_OR_FOLLOWER), and the idempotent producer's retry of that first
     * batch was then refused for good as out of sequence, behind later batches the broker had accepted meanwhile:
     * found by EventRelayIT in the clean-clone CI, 30 s lost to the delivery timeout and the batches sent again.
     */
    private void awaitLeaders() throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get(topic);
            if (description != null && !description.partitions().isEmpty()
                    && description.partitions().stream().allMatch(partition -> partition.leader() != null
                    && !partition.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the partitions of " + topic + " have no leader yet");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
