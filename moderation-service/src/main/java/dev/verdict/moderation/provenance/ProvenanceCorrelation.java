package dev.verdict.moderation.provenance;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces Axon's default MessageOriginProvider (whose own "traceId" and "correlationId" would overwrite ours):
 * every event applied while handling a command carries that command's provenance.
 */
@Configuration(proxyBeanMethods = false)
class ProvenanceCorrelation {

    @Bean
    CorrelationDataProvider provenanceCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(Provenance.INHERITED);
    }
}
