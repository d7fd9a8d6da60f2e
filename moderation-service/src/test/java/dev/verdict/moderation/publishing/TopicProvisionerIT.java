package dev.verdict.moderation.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.servicekit.TopicProvisioner;
import dev.verdict.testkit.RealServers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The services' topics take records up to {@link TopicProvisioner#MAX_MESSAGE_BYTES}, on a real broker: a topic the
 * provisioner creates is made so, and one that exists with Kafka's default limit (made by an earlier version, or by
 * hand) is raised to it, so that the relay can publish every event the API accepts.
 */
class TopicProvisionerIT {

    private static String limit(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
    }

    @Test
    void aTopicItCreatesAndOneThatExistedTakeRecordsOfFourMebibytes() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.kafkaBootstrapServers()))) {
            String created = "provisioned-" + UUID.randomUUID();
            new TopicProvisioner(admin, created, 2, (short) 1).ensureTopic();
            assertThat(limit(admin, created)).isEqualTo(Integer.toString(4 * 1024 * 1024));

            String existing = "existing-" + UUID.randomUUID();
            admin.createTopics(List.of(new NewTopic(existing, 2, (short) 1))).all().get(15, TimeUnit.SECONDS);
            assertThat(Long.parseLong(limit(admin, existing))).as("Kafka's default").isLessThan(4 * 1024 * 1024);
            new TopicProvisioner(admin, existing, 2, (short) 1).ensureTopic();
            assertThat(limit(admin, existing)).isEqualTo(Integer.toString(4 * 1024 * 1024));
        }
    }
}
