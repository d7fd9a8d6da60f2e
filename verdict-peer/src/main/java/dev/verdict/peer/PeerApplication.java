package dev.verdict.peer;

import dev.verdict.moderation.advertiser.Advertiser;
import dev.verdict.moderation.advertiser.AppealWindow;
import dev.verdict.moderation.advertiser.IssuedTerms;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.SimpleDeadlineManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The benchmark's peer (issue 8, b): moderation-service's {@link Advertiser} aggregate under what Axon's Spring Boot
 * starter gives a team out of the box. Axon's JPA storage engine on its own entities (tables made by Hibernate's
 * {@code ddl-auto}), the default event processor (tracking, one thread, one segment, batches of one, tokens in
 * JPA), the default {@code SimpleDeadlineManager}, no aggregate cache, no snapshots; and {@link KafkaPublisher}, an
 * event handler that sends each event to Kafka and waits for the broker's answer.
 *
 * <p>Only the aggregate is taken from moderation-service ({@code dev.verdict.moderation} is not scanned): none of
 * its authentication, idempotency, provenance, hash chain, read model or relay runs here.
 */
@SpringBootApplication
@Import(Advertiser.class)
public class PeerApplication {

    public static void main(String[] args) {
        // moderation-service's jar, on this class path for its aggregate, carries its own application.yml: the
        // peer reads peer.yml instead, so none of the service's settings apply here.
        System.setProperty("spring.config.name", "peer");
        // No internet here: Axon must not try to call home nor print its console banner.
        System.setProperty("disable-axoniq-console-message", "true");
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(PeerApplication.class, args);
    }

    /**
     * The aggregate names a cache ({@code @Aggregate(cache = "advertiserCache")}); out of the box there is none, so
     * it is Axon's {@link NoCache}: every command loads its advertiser from the event store.
     */
    @Bean
    Cache advertiserCache() {
        return NoCache.INSTANCE;
    }

    /**
     * The aggregate takes a deadline manager as a resource (a suspension ends by itself; the WARNING command
     * schedules nothing). Axon's configurer has a default one, but its Spring Boot starter declares no bean for
     * it, and a handler's resource must be one: Axon's default, the in-memory {@link SimpleDeadlineManager}.
     */
    @Bean
    DeadlineManager deadlineManager(org.axonframework.config.Configuration configuration) {
        return SimpleDeadlineManager.builder()
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration)).build();
    }

    /** What Axon chose, in the log: the storage engine and the transaction manager. */
    @Bean
    ApplicationRunner reportAxonChoices(EventStorageEngine engine, TransactionManager transactions) {
        Logger log = LoggerFactory.getLogger(PeerApplication.class);
        return args -> log.info("Axon out of the box: storage engine {}, transaction manager {}",
                engine.getClass().getName(), transactions.getClass().getName());
    }

    /** The aggregate's appeal handler takes the window as a resource; the WARNING command does not use it. */
    @Bean
    AppealWindow appealWindow() {
        return AppealWindow.standard();
    }

    /** The aggregate's appeal ruling takes this resource too (a MODIFIED ruling reads the original terms with it). */
    @Bean
    IssuedTerms issuedTerms(EventStore eventStore) {
        return new IssuedTerms(eventStore);
    }
}
