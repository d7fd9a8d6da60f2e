package dev.verdict.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verdict.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * audit-service stopped while it is ingesting, the way an orchestrator stops it (the context closes: SIGTERM): every
 * stored position matches exactly the rows stored before it, Kafka's committed offsets are never ahead of them, and
 * the next instance takes every record exactly once from there.
 */
class GracefulShutdownIT {

    private static final String TOPIC = "shutdown-it-" + UUID.randomUUID();
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3000;
    private static final String GROUP = "audit-shutdown-it";

    @Test
    void aStopMidwayLeavesRowsAndPositionsTogetherAndTheNextInstanceMissesNothing() throws Exception {
        RealServers.Database database = RealServers.newDatabase("audit_shutdown");
        String bootstrap = RealServers.kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS / 10; i++) {
                String advertiser = "shutdown-" + i;
                for (String envelope : AuditServiceIT.chain(advertiser, 10)) {
                    producer.send(new ProducerRecord<>(TOPIC, advertiser, envelope.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }

        ConfigurableApplicationContext first = start(database, bootstrap);
        // Small batches, so that the stop is likely to land while one is being written.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> storedRows(database) > 0);
        first.close();

        long storedAtStop = storedRows(database);
        assertPositionsMatchRows(database);
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        }
        Map<Integer, Long> positions = positions(database);
        committed.forEach((partition, offset) -> assertThat(offset.offset())
                .as("Kafka's committed offset of partition %s is not ahead of the stored rows", partition.partition())
                .isLessThanOrEqualTo(positions.getOrDefault(partition.partition(), 0L)));

        ConfigurableApplicationContext second = start(database, bootstrap);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> storedRows(database) == RECORDS);
            assertPositionsMatchRows(database);
            assertThat(positions(database).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);
        } finally {
            second.close();
        }
        System.out.printf("graceful shutdown: %d of %d records stored when the first instance stopped%n",
                storedAtStop, RECORDS);
    }

    private static ConfigurableApplicationContext start(RealServers.Database database, String bootstrap) {
        // Arguments, as an operator would pass them: they win over application.yml.
        return new SpringApplicationBuilder(AuditApplication.class).profiles("local").run(
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--verdict.ingest.bootstrap-servers=" + bootstrap,
                "--verdict.ingest.topic=" + TOPIC,
                "--verdict.ingest.group-id=" + GROUP,
                "--verdict.ingest.max-poll-records=50");
    }

    /** Offsets on this topic run from 0 without gaps, so a partition's stored position is the count of its rows. */
    private static void assertPositionsMatchRows(RealServers.Database database) throws Exception {
        Map<Integer, Long> rows = new HashMap<>();
        try (Connection connection = connect(database); ResultSet rs = connection.createStatement().executeQuery(
                "SELECT topic_partition, count(*), max(topic_offset) FROM audit_event GROUP BY topic_partition")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getLong(2));
                assertThat(rs.getLong(3) + 1).as("no gap in partition %s", rs.getInt(1)).isEqualTo(rs.getLong(2));
            }
        }
        Map<Integer, Long> positions = positions(database);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assertThat(positions.getOrDefault(partition, 0L)).as("partition %s: position and rows", partition)
                    .isEqualTo(rows.getOrDefault(partition, 0L));
        }
    }

    private static Map<Integer, Long> positions(RealServers.Database database) throws Exception {
        Map<Integer, Long> positions = new HashMap<>();
        try (Connection connection = connect(database); var statement = connection.prepareStatement(
                "SELECT partition, next_offset FROM consumer_position WHERE topic = ?")) {
            statement.setString(1, TOPIC);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return positions;
    }

    private static long storedRows(RealServers.Database database) throws Exception {
        try (Connection connection = connect(database); ResultSet rs = connection.createStatement()
                .executeQuery("SELECT count(*) FROM audit_event")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the schema is not migrated yet
        }
    }

    private static Connection connect(RealServers.Database database) throws Exception {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
