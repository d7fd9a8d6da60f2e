package dev.verdict.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (combined broker and controller, replication factor 1) in its own JVM, started
 * from the {@code kafka_2.13} Maven artifact on this launcher's classpath. Its log directory is formatted once and
 * kept under {@code <home>/kafka}, so topics and offsets survive restarts.
 */
final class KafkaBroker {

    /**
     * Prefix of system properties that set a broker property (the rest of the name) in {@code server.properties}.
     * The build's end-to-end tests shorten the broker's session there, so that a broker restarted after SIGKILL
     * registers again after a few seconds rather than after the 9 s default it otherwise waits out
     * ({@code DuplicateBrokerRegistrationException} until its previous incarnation's session has expired).
     */
    static final String OVERRIDE_PREFIX = "verdict.stack.kafka.";

    private KafkaBroker() {
    }

    static ChildProcess start(StackConfig config) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(config.home().resolve("kafka"));
        Path data = dir.resolve("data");
        Path properties = dir.resolve("server.properties");
        writeProperties(config, properties, data);
        String classpath = System.getProperty("java.class.path");
        Path log = config.logs().resolve("kafka.log");
        if (!Files.exists(data.resolve("meta.properties"))) {
            List<String> command = new java.util.ArrayList<>(List.of(ChildProcess.java()));
            command.addAll(ChildProcess.extraJvmOptions());
            command.addAll(List.of("-cp", classpath, "kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
            ChildProcess format = ChildProcess.start("kafka-storage-format", command, Map.of(), dir, log);
            if (!format.process().waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka's log directory failed; see " + log);
            }
        }
        List<String> command = new java.util.ArrayList<>(List.of(ChildProcess.java(), "-Xms256m", "-Xmx512m",
                "-XX:+UseG1GC"));
        command.addAll(ChildProcess.extraJvmOptions());
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", properties.toString()));
        return ChildProcess.start("kafka", command, Map.of(), dir, log);
    }

    /** Waits until the broker answers a metadata request. */
    static void awaitReady(StackConfig config, ChildProcess broker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with " + broker.exitValue()
                            + "; see " + broker.log());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    // not ready yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not become ready in " + timeout
                            + "; see " + broker.log());
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
    }

    private static void writeProperties(StackConfig config, Path file, Path data) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + config.kafkaControllerPort());
        p.setProperty("listeners", "PLAINTEXT://localhost:" + config.kafkaPort() + ",CONTROLLER://localhost:"
                + config.kafkaControllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + config.kafkaPort());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", data.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        // Broker settings a test run may override: system properties verdict.stack.kafka.<broker property>.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(OVERRIDE_PREFIX))
                .forEach(name -> p.setProperty(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name)));
        try (Writer writer = Files.newBufferedWriter(file)) {
            p.store(writer, "Written by ./verdict up on every start; edit StackConfig/KafkaBroker instead");
        }
    }
}
