package dev.verdict.moderation.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verdict.servicekit.TopicProvisioner;
import dev.verdict.testkit.RealServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The publisher with several batches in flight, on a real PostgreSQL: it reads and sends the next batches while an
 * earlier one awaits Kafka's acknowledgement, saves its position only past batches acknowledged entirely and in order,
 * and after a refusal sends everything beyond the saved position again.
 *
 * <p>Kafka's acknowledgements are the subject here, so three cases hand them out one by one through Kafka's own
 * {@link MockProducer} (a real broker cannot be told to hold or refuse one); the fourth runs against the real broker.
 * The stored events are rows of the service's own schema; their Kafka value is their global index, so that the
 * assertions read the order directly (the envelope is EventRecords' subject, tested with the service).
 */
class EventRelayIT {

    private static Admin admin;

    private HikariDataSource dataSource;
    private EventRelay relay;

    @BeforeAll
    static void broker() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.kafkaBootstrapServers()));
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void theNextBatchesGoOutWhileTheFirstAwaitsItsAcknowledgementAndThePositionFollowsTheAcknowledgements()
            throws Exception {
        PublishingProperties properties = properties(2, 3);
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        start(properties, kafka, 12);

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.history().size() == 6);
        assertThat(indexes(kafka.history())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(savedIndex()).as("nothing acknowledged yet").isZero();

        kafka.completeNext();
        assertThat(savedIndex()).as("half a batch acknowledged").isZero();
        kafka.completeNext();
        await().atMost(Duration.ofSeconds(20)).until(() -> savedIndex() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.history().size() == 8);
        assertThat(indexes(kafka.history())).as("a fourth batch once the first left room")
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            kafka.completeNext();
            return savedIndex() == 12;
        });
        assertThat(indexes(kafka.history())).as("each event once, in index order")
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void aRefusedEventIsSentAgainWithEverythingBeyondTheSavedPosition() throws Exception {
        PublishingProperties properties = properties(2, 3);
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        start(properties, kafka, 8);
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.history().size() == 6);
        kafka.completeNext();
        kafka.completeNext();
        await().atMost(Duration.ofSeconds(20)).until(() -> savedIndex() == 2);

        kafka.errorNext(new NotEnoughReplicasException("refused for the test"));

        await().atMost(Duration.ofSeconds(20)).until(() -> indexes(kafka.history()).lastIndexOf(3L) > 2);
        assertThat(savedIndex()).as("the refused event's batch is not passed").isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            kafka.completeNext();
            return savedIndex() == 8;
        });
        List<Long> sent = indexes(kafka.history());
        int again = sent.lastIndexOf(3L);
        assertThat(sent.subList(0, again)).as("before the refusal")
                .startsWith(1L, 2L, 3L).doesNotHaveDuplicates();
        assertThat(sent.subList(again, sent.size())).as("sent again from the saved position, in index order")
                .containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
    }

    /**
     * Kafka's producer refuses a record over its size limit at once, calling the send's callback before the send
     * returns; the relay must still wait its back-off before sending again (100 ms doubling to 500 ms here). It did
     * not: the callback's wake-up cut every back-off short, and a by-hand stack sent such a record about forty times
     * a second.
     */
    @Test
    void aRecordRefusedAtOnceIsSentAgainOnlyAfterTheBackOff() throws Exception {
        List<Long> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
                attempts.add(index(record.value()));
                RuntimeException refused = new org.apache.kafka.common.errors.RecordTooLargeException(
                        "refused for the test, as a record over max.request.size is");
                if (callback != null) {
                    callback.onCompletion(null, refused);
                }
                return java.util.concurrent.CompletableFuture.failedFuture(refused);
            }
        };
        start(properties(2, 3), kafka, 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts.contains(1L));

        // Back-offs of 100, 200, 400 and 500 ms: at most six sends of the first event in two seconds.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> attempts.stream().filter(index -> index == 1L).count() <= 6);
        assertThat(savedIndex()).isZero();
    }

    @Test
    void anEventAppendedWhileTheLastBatchAwaitsKafkaGoesOutWithoutWaitingForIt() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        start(properties(500, 4), kafka, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.history().size() == 3);

        append(2);
        relay.wake();

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.history().size() == 5);
        assertThat(indexes(kafka.history())).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(savedIndex()).as("nothing acknowledged yet").isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            kafka.completeNext();
            return savedIndex() == 5;
        });
    }

    /**
     * The byte budget bounds what the publisher holds: with a budget smaller than one event each batch is that one
     * event, so with three batches in flight and none acknowledged three of the five events have been sent, however
     * large the count limit.
     */
    @Test
    void aBatchStopsAtItsByteBudgetSoTheBatchesInFlightBoundTheEventsHeld() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        start(properties(500, DataSize.ofBytes(1), 3), kafka, 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.history().size() == 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> kafka.history().size() == 3);
        assertThat(indexes(kafka.history())).containsExactly(1L, 2L, 3L);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            kafka.completeNext();
            return savedIndex() == 5;
        });
        assertThat(indexes(kafka.history())).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void onTheRealBrokerEveryEventArrivesAndEachAdvertisersInOrder() throws Exception {
        PublishingProperties properties = properties(25, 4);
        String topic = properties.topic();
        Producer<String, byte[]> kafka = new KafkaConfiguration().eventProducer(properties);
        try {
            start(properties, kafka, 3_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> savedIndex() == 3_000);
        } finally {
            relay.stop();
            relay = null;
            kafka.close();
        }

        Map<String, List<Long>> byAdvertiser = new HashMap<>();
        List<Long> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    long index = index(record.value());
                    all.add(index);
                    byAdvertiser.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(index);
                }
                return all.size() >= 3_000;
            });
        }
        assertThat(all).hasSize(3_000).doesNotHaveDuplicates();
        assertThat(byAdvertiser).hasSize(30)
                .allSatisfy((advertiser, indexes) -> assertThat(indexes).as(advertiser).isSorted());
    }

    private static PublishingProperties properties(int batchSize, int batchesInFlight) {
        return properties(batchSize, DataSize.ofMegabytes(4), batchesInFlight);
    }

    private static PublishingProperties properties(int batchSize, DataSize batchBytes, int batchesInFlight) {
        return new PublishingProperties(RealServers.kafkaBootstrapServers(), "relay-it-" + UUID.randomUUID(), 3,
                (short) 1, 5, Duration.ofSeconds(30), batchSize, batchBytes, batchesInFlight, 20,
                Duration.ofMillis(200), Duration.ofMillis(500));
    }

    /** A fresh store holding {@code events} events of 30 advertisers, and the publisher started on it. */
    private void start(PublishingProperties properties, Producer<String, byte[]> kafka, int events) throws Exception {
        RealServers.Database database = RealServers.newDatabase("relay");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/migration").load().migrate();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.username());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(pool);
        append(events);
        EventRecords records = new EventRecords(JacksonSerializer.defaultSerializer(), properties) {
            @Override
            ProducerRecord<String, byte[]> record(StoredEvent event) {
                return new ProducerRecord<>(properties.topic(), event.aggregateIdentifier(),
                        Long.toString(event.globalIndex()).getBytes(StandardCharsets.UTF_8));
            }
        };
        relay = new EventRelay(dataSource, records, kafka, new TopicProvisioner(admin, properties.topic(),
                properties.partitions(), properties.replicationFactor()), properties, new SimpleMeterRegistry());
        relay.start();
    }

    /** Appends {@code events} events after those stored, spread over 30 advertisers, in one transaction. */
    private void append(int events) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                                                    meta_data, payload, payload_type, time_stamp)
                    SELECT 'advertiser-' || (i %% 30), i / 30, 'Advertiser', 'event-' || i, convert_to('{}', 'UTF8'),
                           convert_to('{"n": ' || i || '}', 'UTF8'), 'dev.verdict.contract.AdvertiserWarned',
                           '2026-01-01T00:00:00Z'
                    FROM generate_series((SELECT count(*) + 1 FROM domain_event_entry),
                                         (SELECT count(*) FROM domain_event_entry) + %d) AS i ORDER BY i
                    """.formatted(events));
        }
    }

    private long savedIndex() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT coalesce(max(last_index), 0) FROM publication_position WHERE publisher = 'kafka'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<Long> indexes(List<ProducerRecord<String, byte[]>> records) {
        return records.stream().map(record -> index(record.value())).toList();
    }

    private static long index(byte[] value) {
        return Long.parseLong(new String(value, StandardCharsets.UTF_8));
    }
}
