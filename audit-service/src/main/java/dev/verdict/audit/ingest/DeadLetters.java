package dev.verdict.audit.ingest;

import dev.verdict.servicekit.TopicProvisioner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The dead-letter topic ({@code <topic>.dead-letters}): every record audit-service could not store as an event is
 * sent there unchanged, key and value, with the reason and its original position in headers, and counted
 * ({@code verdict.audit.dead.letters}). The send is acknowledged before the record's offset is committed, so a dead
 * letter is never lost either.
 */
@Component
public class DeadLetters implements DisposableBean {

    private final Producer<byte[], byte[]> producer;
    private final Admin admin;
    private final TopicProvisioner topic;
    private final String topicName;
    private final Counter counter;

    public DeadLetters(IngestProperties properties, MeterRegistry meters) {
        this.topicName = properties.topic() + ".dead-letters";
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.MAX_MESSAGE_BYTES,
                ProducerConfig.CLIENT_ID_CONFIG, "audit-service-dead-letters"),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()));
        this.topic = new TopicProvisioner(admin, topicName, 1, properties.deadLetterReplicationFactor());
        this.counter = Counter.builder("verdict.audit.dead.letters")
                .description("records sent to the dead-letter topic").register(meters);
    }

    public String topicName() {
        return topicName;
    }

    /** Sends the record as it came, with its reason; returns once the broker acknowledged it. */
    void send(ConsumerRecord<String, byte[]> record, String reason) {
        topic.ensureTopic();
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topicName,
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value());
        letter.headers()
                .add("reason", reason.getBytes(StandardCharsets.UTF_8))
                .add("original-topic", record.topic().getBytes(StandardCharsets.UTF_8))
                .add("original-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8))
                .add("original-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(letter).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the dead-letter topic did not acknowledge a record", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a dead letter", e);
        }
        counter.increment();
    }

    @Override
    public void destroy() {
        producer.close();
        admin.close();
    }
}
