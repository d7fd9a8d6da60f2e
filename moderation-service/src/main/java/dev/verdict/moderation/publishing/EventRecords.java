package dev.verdict.moderation.publishing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import dev.verdict.moderation.provenance.EnvelopeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Turns a stored event into its Kafka record: keyed by advertiser, the value the canonical JSON of its envelope with
 * the payload exactly as stored (never re-serialized, never upcast), and headers for routing and tracing.
 */
@Component
class EventRecords {

    private static final Logger log = LoggerFactory.getLogger(EventRecords.class);

    private final Serializer eventSerializer;
    private final String topic;

    EventRecords(@Qualifier("eventSerializer") Serializer eventSerializer, PublishingProperties properties) {
        this.eventSerializer = eventSerializer;
        this.topic = properties.topic();
    }

    ProducerRecord<String, byte[]> record(StoredEvent event) {
        Envelope envelope = envelope(event);
        // One canonicalization for both the published text and the hash to check: done twice, once for each, it took
        // half of the relay thread's time while draining a backlog.
        HashChain.Canonical canonical = HashChain.canonical(EnvelopeFactory.tree(envelope));
        String recomputed = canonical.hash();
        if (!recomputed.equals(envelope.integrity().hash())) {
            // The stored hash is what the chain links; publishing a different one would break the chain for good.
            log.error("event {} of {} #{}: its envelope now hashes to {} but was sealed as {}; publishing as sealed",
                    envelope.eventId(), envelope.advertiserId(), envelope.sequence(), recomputed,
                    envelope.integrity().hash());
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, envelope.advertiserId(),
                canonical.text().getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add("eventType", bytes(envelope.eventType()))
                .add("schemaVersion", bytes(Integer.toString(envelope.schemaVersion())))
                .add("eventId", bytes(envelope.eventId()))
                .add("traceparent", bytes(traceparent(envelope)));
        return record;
    }

    Envelope envelope(StoredEvent event) {
        MetaData metaData = eventSerializer.deserialize(new SerializedMetaData<>(event.metaData(), byte[].class));
        JsonNode storedPayload;
        try {
            storedPayload = EventJson.mapper().readTree(event.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("event " + event.eventIdentifier() + " has an unreadable payload", e);
        }
        return EnvelopeFactory.published(new GenericDomainEventMessage<>(event.type(), event.aggregateIdentifier(),
                event.sequenceNumber(), storedPayload, metaData, event.eventIdentifier(),
                Instant.parse(event.timeStamp())), storedPayload);
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
}
