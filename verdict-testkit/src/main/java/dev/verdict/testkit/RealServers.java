package dev.verdict.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server and one real Kafka broker per test JVM, started on first use and stopped when the JVM
 * exits. Where a Docker daemon answers they are Testcontainers (pinned images); otherwise a PostgreSQL 17 server from
 * the zonky Maven artifact and an in-JVM KRaft broker. Test code is the same either way: it asks for a fresh
 * database and the bootstrap servers.
 */
public final class RealServers {

    /** Pinned images, used only where Docker runs. */
    public static final String POSTGRES_IMAGE = "postgres:17.6";
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static final Logger log = LoggerFactory.getLogger(RealServers.class);
    private static final AtomicInteger databases = new AtomicInteger();
    private static Postgres postgres;
    private static String kafkaBootstrap;

    private RealServers() {
    }

    /** Connection details of a database. */
    public record Database(String jdbcUrl, String username, String password) {
    }

    private record Postgres(String host, int port, String username, String password) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** A new, empty database on the shared server, so that tests never see each other's rows. */
    public static Database newDatabase(String prefix) {
        Postgres server = postgres();
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + ProcessHandle.current().pid() + "_"
                + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server.url("postgres"), server.username(),
                server.password()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new Database(server.url(name), server.username(), server.password());
    }

    /**
     * Registers a new database as a Spring Boot data source: pass a DynamicPropertyRegistry's {@code add}.
     */
    public static Database registerDataSource(String prefix,
                                              java.util.function.BiConsumer<String, java.util.function.Supplier<Object>> add) {
        Database database = newDatabase(prefix);
        add.accept("spring.datasource.url", database::jdbcUrl);
        add.accept("spring.datasource.username", database::username);
        add.accept("spring.datasource.password", database::password);
        return database;
    }

    public static synchronized String kafkaBootstrapServers() {
        if (kafkaBootstrap == null) {
            long started = System.nanoTime();
            kafkaBootstrap = dockerAvailable() ? startKafkaContainer() : startEmbeddedKafka();
            log.info("Kafka broker ready at {} in {} ms", kafkaBootstrap, (System.nanoTime() - started) / 1_000_000);
        }
        return kafkaBootstrap;
    }

    private static synchronized Postgres postgres() {
        if (postgres == null) {
            long started = System.nanoTime();
            postgres = dockerAvailable() ? startPostgresContainer() : startEmbeddedPostgres();
            log.info("PostgreSQL ready on port {} in {} ms", postgres.port(), (System.nanoTime() - started) / 1_000_000);
        }
        return postgres;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Postgres startPostgresContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new Postgres(container.getHost(), container.getFirstMappedPort(), container.getUsername(),
                container.getPassword());
    }

    private static String startKafkaContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return container.getBootstrapServers();
    }

    private static Postgres startEmbeddedPostgres() {
        try {
            // zonky unpacks its binaries under the working directory; keep it inside the build, not in /tmp.
            Path workingDirectory = Files.createDirectories(Path.of("target", "embedded-pg").toAbsolutePath());
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workingDirectory.toFile())
                    .setCleanDataDirectory(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    log.warn("stopping PostgreSQL", e);
                }
            }));
            return new Postgres("localhost", server.getPort(), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String startEmbeddedKafka() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(Files.createDirectories(Path.of("target", "embedded-kafka").toAbsolutePath()))
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception e) {
                    log.warn("stopping Kafka", e);
                }
            }));
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker", e);
        }
    }
}
