package dev.verdict.moderation.publishing;

import dev.verdict.contract.Envelope;
import dev.verdict.contract.HashChain;
import dev.verdict.moderation.provenance.EnvelopeFactory;
import dev.verdict.servicekit.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends every stored event to the topic, keyed by advertiser, as its canonical JSON envelope. Runs in a streaming
 * event processor: each event of a batch is sent asynchronously, and before the batch's unit of work commits (which
 * is when the processor's token moves) every send must be acknowledged by the broker. A failed or unacknowledged
 * send fails the batch: the token stays, and the batch is sent again. Consumers are idempotent on eventId, so a
 * re-sent event is harmless; an unsent one is impossible.
 */
@Component
@ProcessingGroup(KafkaPublisher.PROCESSING_GROUP)
public class KafkaPublisher {

    public static final String PROCESSING_GROUP = "kafka-publisher";
    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final String PENDING = KafkaPublisher.class.getName() + ".pending";

    private final Producer<String, byte[]> producer;
    private final TopicProvisioner topics;
    private final PublishingProperties properties;
    private final Serializer eventSerializer;

    public KafkaPublisher(Producer<String, byte[]> producer, TopicProvisioner topics, PublishingProperties properties,
                          @Qualifier("eventSerializer") Serializer eventSerializer) {
        this.producer = producer;
        this.topics = topics;
        this.properties = properties;
        this.eventSerializer = eventSerializer;
    }

    /**
     * Takes the message only, never its deserialized payload: the processor reads the store verbatim (no upcasters,
     * see {@link VerbatimEventSource}) and the envelope carries the payload's stored JSON as it was hashed.
     */
    @EventHandler
    void publish(DomainEventMessage<?> message, UnitOfWork<?> unitOfWork) {
        topics.ensureTopic();
        JsonNode storedPayload = message.serializePayload(eventSerializer, JsonNode.class).getData();
        Envelope envelope = EnvelopeFactory.published(message, storedPayload);
        String recomputed = HashChain.hash(EnvelopeFactory.tree(envelope));
        if (!recomputed.equals(envelope.integrity().hash())) {
            // The stored hash is what the chain links; publishing a different one would break the chain for good.
            log.error("event {} of {} #{}: its envelope now hashes to {} but was sealed as {}; publishing as sealed",
                    envelope.eventId(), envelope.advertiserId(), envelope.sequence(), recomputed,
                    envelope.integrity().hash());
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(properties.topic(), envelope.advertiserId(),
                HashChain.canonicalText(envelope).getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add("eventType", bytes(envelope.eventType()))
                .add("schemaVersion", bytes(Integer.toString(envelope.schemaVersion())))
                .add("eventId", bytes(envelope.eventId()))
                .add("traceparent", bytes(traceparent(envelope)));
        pendingSends(unitOfWork).add(producer.send(record));
    }

    /** The sends of this batch; the first call registers the wait for all of them before the batch commits. */
    private List<Future<RecordMetadata>> pendingSends(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> root = unitOfWork.root();
        return root.getOrComputeResource(PENDING, key -> {
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            root.onPrepareCommit(u -> awaitAcknowledgements(pending));
            return pending;
        });
    }

    private void awaitAcknowledgements(List<Future<RecordMetadata>> pending) {
        long deadline = System.nanoTime() + properties.deliveryTimeout().plusSeconds(5).toNanos();
        try {
            for (Future<RecordMetadata> send : pending) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new PublicationFailed("Kafka refused a batch of " + pending.size() + " events", e.getCause());
        } catch (TimeoutException e) {
            throw new PublicationFailed("Kafka did not acknowledge a batch of " + pending.size() + " events", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublicationFailed("interrupted while waiting for Kafka", e);
        }
    }

    /** A W3C traceparent continuing the command's trace; the span id is derived from the event id. */
    private static String traceparent(Envelope envelope) {
        String spanId = envelope.eventId().replace("-", "");
        spanId = spanId.length() >= 16 ? spanId.substring(spanId.length() - 16) : "0".repeat(16 - spanId.length()) + spanId;
        String traceId = envelope.traceId() == null ? "0".repeat(32) : envelope.traceId();
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Fails the batch so that the processor keeps its token and sends the batch again. */
    static class PublicationFailed extends RuntimeException {
        PublicationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
