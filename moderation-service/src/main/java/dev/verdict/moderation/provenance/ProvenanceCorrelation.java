package dev.verdict.moderation.provenance;

import dev.verdict.contract.Envelope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces Axon's default MessageOriginProvider (whose own "traceId" and "correlationId" would overwrite ours).
 * Events applied while handling a command carry that command's provenance. Events applied when a deadline fires
 * (a suspension expiring) are the system's act, not the scheduling moderator's: their actor is SYSTEM, caused by the
 * deadline, still correlated and traced with the command that set it.
 */
@Configuration(proxyBeanMethods = false)
public class ProvenanceCorrelation {

    static final String SCHEDULER = "verdict-scheduler";

    @Bean
    CorrelationDataProvider provenanceCorrelationDataProvider(ServiceIdentity identity) {
        return provider(identity);
    }

    /** The provider itself, for an Axon configuration built outside Spring (tests, benchmarks). */
    public static CorrelationDataProvider provider(ServiceIdentity identity) {
        return message -> message instanceof DeadlineMessage<?> deadline
                ? systemProvenance(deadline, identity) : inherited(message);
    }

    private static Map<String, ?> inherited(Message<?> message) {
        Map<String, Object> data = new HashMap<>();
        for (String key : Provenance.INHERITED) {
            Object value = message.getMetaData().get(key);
            if (value != null) {
                data.put(key, value);
            }
        }
        return data;
    }

    private static Map<String, ?> systemProvenance(DeadlineMessage<?> deadline, ServiceIdentity identity) {
        Map<String, Object> data = new HashMap<>();
        data.put(Provenance.ACTOR_ID, SCHEDULER);
        data.put(Provenance.ACTOR_ROLES, List.of());
        data.put(Provenance.ACTOR_TYPE, Envelope.ActorType.SYSTEM.name());
        data.put(Provenance.COMMAND_ID, deadline.getIdentifier());
        data.put(Provenance.CAUSATION_ID, deadline.getIdentifier());
        for (String key : List.of(Provenance.CORRELATION_ID, Provenance.TRACE_ID)) {
            Object value = deadline.getMetaData().get(key);
            if (value != null) {
                data.put(key, value);
            }
        }
        data.put(Provenance.SOURCE_SERVICE, identity.service());
        data.put(Provenance.SOURCE_VERSION, identity.version());
        data.put(Provenance.SOURCE_INSTANCE, identity.instance());
        return data;
    }
}
