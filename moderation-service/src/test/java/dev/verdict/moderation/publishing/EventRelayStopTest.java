package dev.verdict.moderation.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verdict.contract.Envelope;
import dev.verdict.servicekit.TopicProvisioner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A publisher standing by (it holds no lease) has nothing to drain when the service stops. With the database away,
 * claiming the lease waits for a connection up to the pool's timeout; stopping must not wait for that. Found when the
 * build's moderation-service test JVM took 30 s more to exit: a standby relay of one test context was blocked in the
 * pool after the tests' PostgreSQL had stopped.
 */
class EventRelayStopTest {

    @Test
    void aStandbyPublisherStopsAtOnceWhileWaitingForTheDatabase() throws Exception {
        int nobody;
        try (ServerSocket free = new ServerSocket(0)) {
            nobody = free.getLocalPort(); // closed again: nothing listens there
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + nobody + "/moderation");
        pool.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        pool.setInitializationFailTimeout(-1);
        PublishingProperties properties = new PublishingProperties("127.0.0.1:" + nobody, Envelope.TOPIC, 6, (short) 1,
                5, Duration.ofSeconds(30), 500, DataSize.ofMegabytes(4), 4, 20, Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        try (HikariDataSource dataSource = new HikariDataSource(pool);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     properties.bootstrapServers()))) {
            TopicProvisioner topics = new TopicProvisioner(admin, properties.topic(), properties.partitions(),
                    properties.replicationFactor());
            EventRelay relay = new EventRelay(dataSource,
                    new EventRecords(JacksonSerializer.defaultSerializer(), properties), producer, topics, properties,
                    new SimpleMeterRegistry());
            relay.start();
            await().atMost(Duration.ofSeconds(20)).until(EventRelayStopTest::relayWaitsForAConnection);

            long begin = System.nanoTime();
            relay.stop();
            Duration stopping = Duration.ofNanos(System.nanoTime() - begin);

            assertThat(stopping).as("stop() while the standby relay waits for the pool's 30 s timeout")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(relay.isRunning()).isFalse();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("event-relay")
                    && t.isAlive());
        }
    }

    private static boolean relayWaitsForAConnection() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getName().equals("event-relay")
                && Arrays.stream(e.getValue()).anyMatch(frame -> frame.getClassName().endsWith("HikariPool")
                && frame.getMethodName().equals("getConnection")));
    }
}
