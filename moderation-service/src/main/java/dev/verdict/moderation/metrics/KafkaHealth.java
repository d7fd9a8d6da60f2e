package dev.verdict.moderation.metrics;

import dev.verdict.servicekit.KafkaHealthIndicator;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker the publisher writes to, as a health component ({@code kafka}); see application.yml for its groups. */
@Configuration(proxyBeanMethods = false)
class KafkaHealth {

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(@Value("${verdict.publishing.bootstrap-servers}") String bootstrapServers) {
        return new KafkaHealthIndicator(bootstrapServers, Duration.ofSeconds(2));
    }
}
