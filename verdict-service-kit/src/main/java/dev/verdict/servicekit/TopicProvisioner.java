package dev.verdict.servicekit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
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

    /**
     * The largest record Verdict's topics take, and its producers send: 4 MiB. Kafka's default is 1 MiB, and an
     * envelope the API accepts can be larger (a request body of up to 1 MiB, plus the cited clause's text of up to
     * 20,000 characters and the provenance): the relay could not publish such an event, and retried it forever.
     */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

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
                                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES)));
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
                } else {
                    raiseMessageLimit();
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
     * A topic that exists already (made by an earlier version, or by hand) may take smaller records than the services
     * send: its limit is raised to {@link #MAX_MESSAGE_BYTES}. Where this principal may not change it, the topic is
     * used as it is, with a warning: the relay then retries a larger event until someone raises the limit.
     */
    private void raiseMessageLimit() throws ExecutionException, TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry limit = admin.describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (limit != null && limit.value() != null && Long.parseLong(limit.value()) >= MAX_MESSAGE_BYTES) {
            return;
        }
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES)),
                    AlterConfigOp.OpType.SET)))).all().get(15, TimeUnit.SECONDS);
            log.info("raised {} of topic {} from {} to {}", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topic,
                    limit == null ? "the broker's default" : limit.value(), MAX_MESSAGE_BYTES);
        } catch (ExecutionException e) {
            log.warn("topic {} takes records of at most {} bytes and its limit could not be raised to {}: {}", topic,
                    limit == null ? "the broker's default" : limit.value(), MAX_MESSAGE_BYTES,
                    e.getCause().getMessage());
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
