package dev.verdict.moderation.eventstore;

import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.EventCatalog;
import dev.verdict.moderation.advertiser.AdvertiserProjection;
import dev.verdict.moderation.advertiser.AppealWindow;
import dev.verdict.moderation.advertiser.IssuedTerms;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import dev.verdict.moderation.idempotency.IdempotencyInterceptor;
import dev.verdict.moderation.idempotency.IdempotencyRecords;
import dev.verdict.moderation.provenance.ChainTips;
import dev.verdict.moderation.provenance.HashChainInterceptor;
import dev.verdict.moderation.web.CommandTimeLimit;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's JDBC storage engine on a Flyway-owned schema (no Hibernate in the write path), events serialized with the
 * published contract's own JSON configuration, and every appended event sealed into its advertiser's hash chain.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /** Axon's event tables under the names Flyway gives them. */
    @Bean
    EventSchema eventSchema() {
        return EVENT_SCHEMA;
    }

    static final EventSchema EVENT_SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry")
            .snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index")
            .timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    /*
     * Axon's JdbcAutoConfiguration and TransactionAutoConfiguration are ordered after Spring Boot 3's auto-configuration
     * class names; under Boot 4 they evaluate before the DataSource exists and back off. These beans are therefore
     * declared here, which also makes the choices explicit.
     */

    /** Every Axon unit of work runs in the Spring transaction of the command (or of the processor's batch). */
    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * PostgreSQL reports a unique violation as SQLState 23505 (its driver throws no
     * SQLIntegrityConstraintViolationException, which Axon's JDBC default looks for). Recognising it is what turns a
     * second writer of the same advertiser sequence into a ConcurrencyException instead of a generic failure.
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        // A copy: Axon registers its own modules on the mapper it is given. The stored revision of an event is its
        // schema version in the published contract.
        return JacksonSerializer.builder().objectMapper(EventJson.mapper().copy())
                .revisionResolver(EventCatalog::revisionOf).build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          @Value("${verdict.event-store.gap-timeout-ms:60000}") int gapTimeout) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(EVENT_SCHEMA)
                .gapTimeout(gapTimeout)
                .build();
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    /** Seals every event into its advertiser's hash chain as it is appended. */
    @Bean
    ConfigurerModule hashChainSealing(ChainTips tips) {
        return configurer -> configurer.onInitialize(config -> config.onStart(() -> {
            EventStore eventStore = config.eventStore();
            eventStore.registerDispatchInterceptor(new HashChainInterceptor(eventStore, tips));
        }));
    }

    /**
     * The read model is written in the command's own transaction, and a failure to write it fails the command: the
     * event is not stored either. (Axon's default logs the failure and carries on, which would commit the event and
     * leave the view without it; the reliability suite caught that while PostgreSQL was being killed.)
     */
    @Bean
    ConfigurerModule projectionFailuresFailTheCommand() {
        return configurer -> configurer.eventProcessing().registerListenerInvocationErrorHandler(
                AdvertiserProjection.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance());
    }

    /** Every command's time limit, around everything else the command runs (registered first: outermost). */
    @Bean(destroyMethod = "close")
    CommandTimeLimit commandTimeLimit(@Value("${verdict.command-timeout-ms}") long timeoutMs) {
        return new CommandTimeLimit(timeoutMs);
    }

    @Bean
    ConfigurerModule commandsInTime(CommandTimeLimit limit) {
        return configurer -> configurer.onInitialize(config -> config.onStart(Integer.MIN_VALUE, () ->
                config.commandBus().registerHandlerInterceptor(limit)));
    }

    /** Answers to Idempotency-Key requests are stored in the command's transaction. */
    @Bean
    ConfigurerModule idempotentCommands(IdempotencyRecords records) {
        return configurer -> configurer.onInitialize(config -> config.onStart(() ->
                config.commandBus().registerHandlerInterceptor(new IdempotencyInterceptor(records))));
    }

    /** Where an appeal's MODIFIED ruling reads the original decision's terms (the advertiser does not keep them). */
    @Bean
    IssuedTerms issuedTerms(EventStore eventStore) {
        return new IssuedTerms(eventStore);
    }

    @Bean
    AppealWindow appealWindow(@Value("${verdict.appeals.window:P6M}") java.time.Period window) {
        return new AppealWindow(window);
    }
}
