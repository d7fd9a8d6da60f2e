package dev.verdict.moderation.publishing;

import java.time.Duration;
import java.time.Instant;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The event store as the publisher reads it: the same table, without upcasters. Aggregates read old events through
 * upcasters into today's shape; the published history must stay exactly what was recorded and hashed, so an event
 * stored as version 1 is published as version 1 forever (consumers upcast for themselves). Only a message source,
 * deliberately not an event bus, so that nothing else mistakes it for the event store.
 */
@Component(VerbatimEventSource.BEAN)
class VerbatimEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, DisposableBean {

    static final String BEAN = "verbatimEventStore";

    private final EmbeddedEventStore store;

    VerbatimEventSource(ConnectionProvider connectionProvider, TransactionManager transactionManager,
                        @Qualifier("eventSerializer") Serializer eventSerializer, Serializer serializer,
                        EventSchema eventSchema, @Value("${verdict.event-store.gap-timeout-ms:60000}") int gapTimeout,
                        @Value("${verdict.publishing.poll-interval-ms:20}") long pollInterval) {
        // Appends go through the main event store, so this one learns of new events by polling, every
        // pollInterval while idle (one indexed query); it reads back-to-back while there is a backlog.
        this.store = EmbeddedEventStore.builder()
                .fetchDelay(pollInterval)
                .storageEngine(JdbcEventStorageEngine.builder()
                        .connectionProvider(connectionProvider)
                        .transactionManager(transactionManager)
                        .eventSerializer(eventSerializer)
                        .snapshotSerializer(serializer)
                        .upcasterChain(NoOpEventUpcaster.INSTANCE)
                        .schema(eventSchema)
                        .gapTimeout(gapTimeout)
                        .build())
                .build();
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return store.openStream(trackingToken);
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    @Override
    public void destroy() {
        store.shutDown();
    }
}
