package dev.verdict.local.reliability;

import dev.verdict.local.Directories;
import dev.verdict.local.Postgres;
import dev.verdict.local.Stack;
import dev.verdict.local.Stack.Component;
import dev.verdict.local.StackConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The reliability suite: the real stack of {@code ./verdict up} (durable PostgreSQL, a Kafka broker, both services
 * as their own processes) on loopback, under sustained command load, with faults injected one scenario after the
 * other. After each scenario the ledger compares the 2xx answers, the event store and the audit history. Writes one
 * Markdown table row per scenario.
 *
 * <p>{@code ./verdict reliability [--short] [--report docs/RELIABILITY.md]}; the short run is also part of
 * {@code ./mvnw verify} (ReliabilitySuiteIT).
 */
public final class ReliabilitySuite {

    /** How hard to push: the full run is the documented one; the short one keeps {@code ./mvnw verify} quick. */
    public record Settings(int workers, double ratePerWorker, int killsPerComponent, Duration betweenKills,
                           Duration kafkaOutage, Duration heldTransaction, int rewind, int poison) {

        public static Settings full() {
            return new Settings(4, 50, 3, Duration.ofSeconds(8), Duration.ofSeconds(30), Duration.ofSeconds(65),
                    2_000, 30);
        }

        public static Settings brief() {
            return new Settings(3, 30, 1, Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(3),
                    200, 6);
        }
    }

    /** One row of the report. */
    public record Row(String scenario, String load, String faults, long accepted, Ledger.Findings findings,
                      Duration recovery, String notes, boolean expected) {

        Row with(String newNotes, boolean met) {
            return new Row(scenario, load, faults, accepted, findings, recovery, newNotes, met);
        }

        /** Nothing lost, duplicated, reordered or broken, and the scenario's own expectation met. */
        public boolean clean() {
            return findings.clean() && expected && (accepted > 0 || scenario.startsWith("publisher"));
        }
    }

    private final Stack stack;
    private final Settings settings;
    private final PrintStream out;
    private final Ledger ledger;
    private final List<LoadDriver.Accepted> acceptedSoFar = new ArrayList<>();

    public ReliabilitySuite(Stack stack, Settings settings, PrintStream out) {
        this.stack = stack;
        this.settings = settings;
        this.out = out;
        StackConfig config = stack.config();
        this.ledger = new Ledger(config.jdbcUrl("moderation"), config.jdbcUrl("audit"), Postgres.USER,
                Postgres.PASSWORD);
    }

    public List<Row> run() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Component component : List.of(Component.MODERATION, Component.AUDIT, Component.KAFKA,
                Component.POSTGRES)) {
            rows.add(report(killRepeatedly(component)));
        }
        rows.add(report(kafkaUnreachable()));
        rows.add(report(heldTransactions()));
        rows.add(report(publisherRewound()));
        rows.add(report(poison()));
        rows.add(report(scaledOut()));
        return rows;
    }

    private Row report(Row row) {
        out.printf("%s ", row.clean() ? "[ok]  " : "[FAIL]");
        out.printf("%-46s accepted %6d  lost %d  duplicated %d  order %d  chains %d  (%s)%n", row.scenario(),
                row.accepted(), row.findings().lost(), row.findings().duplicates(),
                row.findings().orderViolations(), row.findings().brokenChains(), row.notes());
        return row;
    }

    private LoadDriver load() {
        LoadDriver driver = new LoadDriver(stack.config().moderationUrl(), settings.workers(),
                settings.ratePerWorker());
        driver.start();
        return driver;
    }

    private String describe(LoadDriver driver, Duration took) {
        return String.format("%d workers at %.0f cmd/s for %.0f s; %s", settings.workers(),
                settings.workers() * settings.ratePerWorker(), took.toMillis() / 1000.0, driver.outcomes());
    }

    private Row finish(String scenario, LoadDriver driver, long started, String faults, String notes)
            throws Exception {
        driver.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Duration recovery = ledger.awaitCaughtUp(Duration.ofMinutes(3));
        acceptedSoFar.addAll(driver.accepted());
        Ledger.Findings findings = ledger.check(acceptedSoFar);
        return new Row(scenario, describe(driver, took), faults, driver.acceptedCount(), findings, recovery, notes,
                true);
    }

    /** kill -9 of one component, several times, each time under load, each time restarted on its data. */
    private Row killRepeatedly(Component component) throws Exception {
        long started = System.nanoTime();
        LoadDriver driver = load();
        List<String> downtimes = new ArrayList<>();
        for (int i = 0; i < settings.killsPerComponent(); i++) {
            pause(settings.betweenKills());
            long killed = System.nanoTime();
            stack.kill(component);
            stack.restart(component);
            downtimes.add(String.format("%.1f s", (System.nanoTime() - killed) / 1e9));
        }
        pause(settings.betweenKills());
        return finish("kill -9 " + name(component), driver, started,
                settings.killsPerComponent() + " × SIGKILL, restarted on the same data",
                "down " + String.join(", ", downtimes));
    }

    /** The broker frozen (SIGSTOP): commands must still be accepted, and the backlog must drain afterwards. */
    private Row kafkaUnreachable() throws Exception {
        long started = System.nanoTime();
        LoadDriver driver = load();
        pause(settings.betweenKills());
        long before = driver.acceptedCount();
        stack.freezeKafka(true);
        try {
            pause(settings.kafkaOutage());
        } finally {
            stack.freezeKafka(false);
        }
        long during = driver.acceptedCount() - before;
        pause(settings.betweenKills());
        Row row = finish("Kafka unreachable " + settings.kafkaOutage().toSeconds() + " s (SIGSTOP)", driver, started,
                "broker frozen for " + settings.kafkaOutage().toSeconds() + " s",
                during + " commands accepted while Kafka was unreachable");
        return row.with(row.notes(), during > 0);
    }

    /**
     * Appends whose transactions stay open (their index taken) for longer than Axon's default gap timeout (60 s in
     * the full run), while the load commits thousands of later events: a few notes are held (the notes' table is
     * locked after their events took their indexes) while the load registers advertisers, which never touch it.
     */
    private Row heldTransactions() throws Exception {
        long started = System.nanoTime();
        long indexBefore;
        int held = 3;
        try (Connection blocker = DriverManager.getConnection(stack.config().jdbcUrl("moderation"), Postgres.USER,
                Postgres.PASSWORD)) {
            indexBefore = scalar(blocker, "SELECT last_value FROM domain_event_entry_global_index_seq");
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("LOCK TABLE note_view IN SHARE MODE");
            }
            LoadDriver notes = new LoadDriver(List.of(stack.config().moderationUrl()), held, 1, true,
                    settings.heldTransaction().plusSeconds(60));
            notes.start();
            LoadDriver driver = new LoadDriver(List.of(stack.config().moderationUrl()), settings.workers(),
                    settings.ratePerWorker(), false, Duration.ofSeconds(10));
            driver.start();
            pause(settings.heldTransaction());
            long heldOpen;
            long indexAtRelease;
            try (Connection probe = DriverManager.getConnection(stack.config().jdbcUrl("moderation"),
                    Postgres.USER, Postgres.PASSWORD)) {
                heldOpen = scalar(probe, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND query LIKE 'INSERT INTO note_view%'");
                indexAtRelease = scalar(probe, "SELECT last_value FROM domain_event_entry_global_index_seq");
            }
            blocker.rollback();
            notes.stop();
            pause(settings.betweenKills());
            Row row = finish("transactions held open " + settings.heldTransaction().toSeconds() + " s", driver,
                    started, heldOpen + " note appends blocked after taking their index, then released", "");
            acceptedSoFar.addAll(notes.accepted());
            Ledger.Findings findings = ledger.check(acceptedSoFar);
            return new Row(row.scenario(), row.load(), row.faults(), row.accepted() + notes.acceptedCount(), findings,
                    row.recovery(), (indexAtRelease - indexBefore) + " indexes taken while they were held; "
                    + notes.acceptedCount() + " held notes accepted once released", heldOpen > 0
                    && notes.acceptedCount() > 0);
        }
    }

    /** The publisher's position moved back: events are sent again, and the audit history must not change. */
    private Row publisherRewound() throws Exception {
        long started = System.nanoTime();
        String before = auditDigest();
        long topicBefore = topicRecords(dev.verdict.contract.Envelope.TOPIC);
        stack.stop(Component.MODERATION);
        try (Connection connection = DriverManager.getConnection(stack.config().jdbcUrl("moderation"),
                Postgres.USER, Postgres.PASSWORD); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE publication_position SET last_index = greatest(0, last_index - "
                    + settings.rewind() + ")");
        }
        stack.restart(Component.MODERATION);
        long expected = topicBefore + settings.rewind();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (topicRecords(dev.verdict.contract.Envelope.TOPIC) < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        long resent = topicRecords(dev.verdict.contract.Envelope.TOPIC) - topicBefore;
        String after = auditDigest();
        LoadDriver idle = new LoadDriver(stack.config().moderationUrl(), 0, 1);
        Row row = finish("publisher re-sends " + settings.rewind() + " events", idle, started,
                "position moved back by " + settings.rewind() + " while stopped", "");
        return new Row(row.scenario(), "none (the history must not move)", row.faults(), 0, row.findings(),
                row.recovery(), resent + " records sent again; audit history "
                        + (before.equals(after) ? "unchanged" : "CHANGED"),
                before.equals(after) && resent >= settings.rewind());
    }

    /** Malformed and foreign records on the topic amid the load: dead-lettered, and later events keep flowing. */
    private Row poison() throws Exception {
        long started = System.nanoTime();
        String deadLetterTopic = dev.verdict.contract.Envelope.TOPIC + ".dead-letters";
        long deadBefore = topicRecords(deadLetterTopic);
        LoadDriver driver = load();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < settings.poison(); i++) {
                byte[] value = switch (i % 3) {
                    case 0 -> ("not json " + i).getBytes(StandardCharsets.UTF_8);
                    case 1 -> ("{\"hello\": \"a message that is not an envelope\", \"n\": " + i + "}")
                            .getBytes(StandardCharsets.UTF_8);
                    default -> ("{\"eventId\": \"not-a-uuid\", \"eventType\": \"AdvertiserBanned\", "
                            + "\"advertiserId\": \"poison-" + i + "\", \"sequence\": -1}")
                            .getBytes(StandardCharsets.UTF_8);
                };
                producer.send(new ProducerRecord<>(dev.verdict.contract.Envelope.TOPIC, "poison-" + i, value)).get();
                pause(Duration.ofMillis(100));
            }
        }
        pause(settings.betweenKills());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (topicRecords(deadLetterTopic) - deadBefore < settings.poison() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        long dead = topicRecords(deadLetterTopic) - deadBefore;
        Row row = finish("poison records on the topic", driver, started,
                settings.poison() + " records: not JSON, not an envelope, invalid envelope",
                dead + " of " + settings.poison() + " on " + deadLetterTopic);
        return row.with(row.notes(), dead == settings.poison());
    }

    /**
     * Two moderation-service instances on one event store and two audit-service instances in one consumer group
     * (the topic has six partitions), under load spread over both moderation instances; midway, the instance that
     * publishes and one audit instance are killed. The other moderation instance takes over publishing and the other
     * audit instance takes over the partitions.
     */
    private Row scaledOut() throws Exception {
        long started = System.nanoTime();
        int moderationPort = StackConfig.freePort();
        int auditPort = StackConfig.freePort();
        String second = stack.addInstance(Component.MODERATION, moderationPort);
        stack.addInstance(Component.AUDIT, auditPort);
        LoadDriver driver = new LoadDriver(List.of(stack.config().moderationUrl(), second), settings.workers() + 1,
                settings.ratePerWorker());
        driver.start();
        pause(settings.betweenKills().multipliedBy(2));
        boolean secondPublishes = publishes(second);
        boolean firstPublishes = publishes(stack.config().moderationUrl());
        if (secondPublishes) {
            stack.killInstance(Component.MODERATION, moderationPort);
        } else {
            stack.kill(Component.MODERATION);
        }
        stack.killInstance(Component.AUDIT, auditPort);
        String killed = secondPublishes ? "the second" : firstPublishes ? "the first" : "the first (no leader seen)";
        pause(settings.betweenKills().multipliedBy(2));
        Row row = finish("2 + 2 instances, one of each killed", driver, started,
                "SIGKILL to " + killed + " moderation instance (the publisher) and to one of two audit instances",
                "");
        if (!secondPublishes) {
            stack.restart(Component.MODERATION);
            stack.stopInstance(Component.MODERATION, moderationPort);
        }
        return row.with("publishing taken over by the surviving instance; partitions rebalanced to the other "
                + "audit instance", secondPublishes || firstPublishes);
    }

    /** Whether the instance at {@code baseUrl} holds the publishing lease, from its own metrics. */
    private static boolean publishes(String baseUrl) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl
                        + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().anyMatch(line -> line.startsWith("verdict_publish_leader")
                && line.trim().endsWith(" 1.0"));
    }

    private String auditDigest() throws Exception {
        try (Connection connection = DriverManager.getConnection(stack.config().jdbcUrl("audit"), Postgres.USER,
                Postgres.PASSWORD); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*), md5(string_agg(event_id::text || envelope, ',' "
                     + "ORDER BY audit_seq)) FROM audit_event")) {
            rows.next();
            return rows.getLong(1) + ":" + rows.getString(2);
        }
    }

    private long topicRecords(String topic) {
        try {
            return countRecords(topic);
        } catch (org.apache.kafka.common.KafkaException e) {
            return 0; // the topic does not exist yet
        }
    }

    private long countRecords(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    private static long scalar(Connection connection, String query) throws Exception {
        try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String name(Component component) {
        return switch (component) {
            case POSTGRES -> "PostgreSQL";
            case KAFKA -> "the Kafka broker";
            case MODERATION -> "moderation-service";
            case AUDIT -> "audit-service";
        };
    }

    /** Lets the load run: the scenario's own pacing, not a synchronisation. */
    private static void pause(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }

    public static String markdown(List<Row> rows, Settings settings, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n");
        md.append("Generated by `").append(command).append("` on ").append(Instant.now()).append(".\n\n");
        md.append("""
                The real stack of `./verdict up` on loopback: PostgreSQL 17 with fsync and synchronous_commit on, a
                KRaft Kafka broker, moderation-service and audit-service as their own processes. Scenarios run one
                after the other on the same stack, each under sustained command load (registrations and notes over
                HTTP at a fixed arrival rate). After each, once the audit history has caught up with the event
                store, the ledger checks every figure below over **everything accepted so far**:

                - **accepted**: commands answered 2xx during the scenario;
                - **lost**: a 2xx command whose events are not in the audit history, or an event of the store missing
                  from it; **phantoms**: events in the history that the store lacks;
                - **duplicated**: an advertiser's sequence number held by more than one event in the history;
                - **order**: advertisers whose history, in arrival order, is not 0, 1, 2, ... without a hole;
                - **chains**: advertisers whose hash chain does not verify;
                - **caught up**: time from the end of the scenario until the history held every stored event.

                """);
        md.append("| | scenario | faults injected | load (outcomes) | accepted | lost | phantoms | duplicated "
                + "| order violations | broken chains | caught up | notes |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : rows) {
            Ledger.Findings f = row.findings();
            md.append(String.format("| %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %.1f s | %s |%n",
                    row.clean() ? "✅" : "❌", row.scenario(), row.faults(), row.load(), row.accepted(), f.lost(), f.phantoms(), f.duplicates(),
                    f.orderViolations(), f.brokenChains(), row.recovery().toMillis() / 1000.0, row.notes()));
        }
        Ledger.Findings last = rows.get(rows.size() - 1).findings();
        md.append(String.format("%nAt the end: %d events in the store, %d in the audit history, %d advertisers.%n",
                last.storeEvents(), last.auditEvents(), last.advertisers()));
        md.append(String.format("%nSettings: %s%n", settings));
        return md.toString();
    }

    /** {@code ./verdict reliability [--short] [--report path]}. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        // zonky reports, as an error, that it could not stop the PostgreSQL this suite has just killed.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "off");
        boolean brief = List.of(args).contains("--short");
        Path report = Path.of(System.getProperty("verdict.repository", "."), "docs", "RELIABILITY.md");
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--report")) {
                report = Path.of(args[i + 1]);
            }
        }
        Settings settings = brief ? Settings.brief() : Settings.full();
        Path home = Files.createTempDirectory("verdict-reliability");
        Path repository = Path.of(System.getProperty("verdict.repository", ".")).toAbsolutePath().normalize();
        StackConfig config = StackConfig.onFreePorts(repository, home);
        List<Row> rows;
        try (Stack stack = new Stack(config, System.out, serviceEnvironment(settings))) {
            stack.start();
            rows = new ReliabilitySuite(stack, settings, System.out).run();
        }
        String command = "./verdict reliability" + (brief ? " --short" : "");
        Files.writeString(report, markdown(rows, settings, command));
        System.out.println("report written to " + report);
        System.exit(removeIfClean(home, rows) ? 0 : 1);
    }

    /**
     * Removes the stack's data and logs (about 150 MB) after a clean run; after a run with a finding they stay, for
     * its diagnosis, and the path is printed.
     *
     * @return whether every row was clean
     */
    public static boolean removeIfClean(Path home, List<Row> rows) throws IOException {
        boolean clean = rows.stream().allMatch(Row::clean);
        if (clean) {
            Directories.delete(home);
        } else {
            System.out.println("the stack's data and logs are kept in " + home);
        }
        return clean;
    }

    /**
     * The held-transaction scenario keeps commands open longer than the services' default command timeout (30 s):
     * the stack runs with one long enough for them to commit, so that the scenario tests late commits, not timeouts.
     */
    public static Map<String, String> serviceEnvironment(Settings settings) {
        return Map.of("VERDICT_COMMAND_TIMEOUT_MS",
                Long.toString(settings.heldTransaction().plusSeconds(60).toMillis()));
    }

}
