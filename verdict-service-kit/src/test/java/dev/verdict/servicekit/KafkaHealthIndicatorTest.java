package dev.verdict.servicekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.testkit.RealServers;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The readiness probe's Kafka component against a real broker, and against a port where no broker listens. */
class KafkaHealthIndicatorTest {

    @Test
    void upWithTheClusterIdWhenTheBrokerAnswers() throws Exception {
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(RealServers.kafkaBootstrapServers(),
                Duration.ofSeconds(5));
        try {
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("clusterId").containsEntry("brokers", 1);
        } finally {
            indicator.destroy();
        }
    }

    @Test
    void downWithinItsDeadlineWhenNoBrokerAnswers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        KafkaHealthIndicator indicator = new KafkaHealthIndicator("localhost:" + port, Duration.ofSeconds(1));
        try {
            long started = System.nanoTime();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            indicator.destroy();
        }
    }
}
