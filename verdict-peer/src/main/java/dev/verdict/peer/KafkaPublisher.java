package dev.verdict.peer;

import dev.verdict.contract.EventJson;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes every stored event to Kafka the way a team would write it first: an event handler in a processing group
 * of its own (so Axon's default, a tracking processor, one thread, one segment, one event per batch, its token in
 * the JPA token store), a plain {@link KafkaProducer} with the client's defaults (acks=all, idempotent), and one
 * {@code send(record).get()} per event: the next event waits for the broker's answer to this one. A failed send
 * throws, and Axon's default error handling for event handlers logs it and moves on.
 */
@Component
@ProcessingGroup("kafka-publisher")
class KafkaPublisher implements DisposableBean {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    KafkaPublisher(@Value("${peer.kafka.bootstrap-servers}") String bootstrap, @Value("${peer.kafka.topic}") String topic) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** The event's payload as the contract writes it, keyed by its advertiser. */
    @EventHandler
    void on(Object payload, DomainEventMessage<?> event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.getAggregateIdentifier(),
                EventJson.mapper().writeValueAsBytes(payload))).get();
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
