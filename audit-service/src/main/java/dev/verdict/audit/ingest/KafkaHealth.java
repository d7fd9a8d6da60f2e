package dev.verdict.audit.ingest;

import dev.verdict.servicekit.KafkaHealthIndicator;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker the history is read from, as a health component ({@code kafka}) of the readiness group. */
@Configuration(proxyBeanMethods = false)
class KafkaHealth {

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(IngestProperties properties) {
        return new KafkaHealthIndicator(properties.bootstrapServers(), Duration.ofSeconds(2));
    }
}
