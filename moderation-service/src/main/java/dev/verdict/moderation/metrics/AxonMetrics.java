package dev.verdict.moderation.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own meters (command bus, event store, event processors), on Spring Boot's meter registry and so in the
 * Prometheus scrape, with the processor and payload type as tags. Axon's MicrometerMetricsAutoConfiguration is
 * excluded (application.yml): it orders itself after Boot 3's class names, so under Boot 4 it ran first and added a
 * SimpleMeterRegistry of its own, which kept every meter of the service a second time.
 */
@Configuration(proxyBeanMethods = false)
class AxonMetrics {

    @Bean
    GlobalMetricRegistry axonMetricRegistry(MeterRegistry meters) {
        return new GlobalMetricRegistry(meters);
    }

    @Bean
    MetricsConfigurerModule axonMetricsModule(GlobalMetricRegistry registry) {
        return new MetricsConfigurerModule(registry, true);
    }
}
