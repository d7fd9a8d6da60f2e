package dev.verdict.servicekit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the Kafka cluster answers: one {@code describeCluster} with a short deadline, on a long-lived admin client
 * (no new connection per probe). Both services put it in their readiness group, never in liveness: a broker outage
 * must take an instance out of the load balancer, not get it restarted.
 */
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthIndicator(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        int millis = (int) timeout.toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                // Do not hammer a broker that is away: back off between connection attempts.
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000));
    }

    @Override
    public Health health() {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions()
                .timeoutMs((int) timeout.toMillis()));
        try {
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", clusterId).withDetail("brokers", brokers).build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause())).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "no answer within " + timeout).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
