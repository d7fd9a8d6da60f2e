package dev.verdict.moderation.publishing;

import dev.verdict.servicekit.TopicProvisioner;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    /**
     * An idempotent producer that waits for every in-sync replica: no duplicate from its own retries, and with at
     * most five requests in flight the order per partition (so per advertiser) is kept.
     */
    @Bean(destroyMethod = "close")
    Producer<String, byte[]> eventProducer(PublishingProperties properties) {
        int deliveryTimeoutMs = (int) properties.deliveryTimeout().toMillis();
        return new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, properties.lingerMs()),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.MAX_MESSAGE_BYTES),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        Math.min(deliveryTimeoutMs - properties.lingerMs(), 30_000)),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryTimeoutMs),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "moderation-service-publisher")),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(PublishingProperties properties) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    @Bean
    TopicProvisioner eventTopic(Admin kafkaAdmin, PublishingProperties properties) {
        return new TopicProvisioner(kafkaAdmin, properties.topic(), properties.partitions(),
                properties.replicationFactor());
    }

    /**
     * Wakes the publisher as soon as an append commits on this instance, instead of leaving the events to its next
     * poll. Appends of other instances are found by polling.
     */
    @Bean
    ConfigurerModule publisherWakesOnCommit(EventRelay relay) {
        return configurer -> configurer.onInitialize(config -> config.onStart(() ->
                config.eventStore().registerDispatchInterceptor(messages -> {
                    CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root().afterCommit(u -> relay.wake()));
                    return (index, message) -> message;
                })));
    }
}
