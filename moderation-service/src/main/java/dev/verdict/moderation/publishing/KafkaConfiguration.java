package dev.verdict.moderation.publishing;

import java.util.Map;
import dev.verdict.servicekit.TopicProvisioner;
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
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, properties.lingerMs(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(deliveryTimeoutMs - properties.lingerMs(), 30_000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryTimeoutMs,
                ProducerConfig.CLIENT_ID_CONFIG, "moderation-service-publisher"),
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
