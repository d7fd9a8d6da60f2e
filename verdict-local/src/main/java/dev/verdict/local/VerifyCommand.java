package dev.verdict.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.ChainVerifier;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./verdict verify}: checks the hash chains of everything on the topic, or in an NDJSON export, as an
 * outsider would: per advertiser, sequences contiguous from 0, each prevHash the previous hash, each hash the SHA-256
 * of the envelope's RFC 8785 form. A record that is an exact re-send of an event already seen (same eventId, same
 * hash) is counted, not held against the chain; anything else out of place breaks it.
 *
 * <pre>
 * ./verdict verify [--bootstrap localhost:9092] [--topic moderation.advertiser-events.v1]
 * ./verdict verify --file events.ndjson [--expect advertiserId=count ...]
 * </pre>
 * Exit status: 0 every chain valid, 1 a chain broken (or an expected count not met), 2 usage or input error.
 */
public final class VerifyCommand {

    private static final int PROGRESS_EVERY = 100_000;

    private final PrintStream out;
    private final PrintStream progress;
    private final Map<String, Chain> chains = new TreeMap<>();
    private long records;

    /** One advertiser's chain as read so far. */
    private static final class Chain {
        final ChainVerifier verifier = new ChainVerifier();
        final Map<String, String> hashByEventId = new HashMap<>();
        long duplicates;
        String problem;
    }

    public VerifyCommand(PrintStream out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new VerifyCommand(System.out, System.err).run(List.of(args)));
    }

    /** @return the exit status */
    public int run(List<String> args) {
        String bootstrap = "localhost:9092";
        String topic = "moderation.advertiser-events.v1";
        Path file = null;
        Map<String, Long> expected = new TreeMap<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--bootstrap" -> bootstrap = args.get(++i);
                    case "--topic" -> topic = args.get(++i);
                    case "--file" -> file = Path.of(args.get(++i));
                    case "--expect" -> {
                        String[] pair = args.get(++i).split("=", 2);
                        expected.put(pair[0], Long.parseLong(pair[1]));
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args.get(i));
                }
            }
        } catch (RuntimeException e) {
            out.println("usage: ./verdict verify [--bootstrap host:port] [--topic name] | --file events.ndjson"
                    + " [--expect advertiserId=count ...]   (" + e.getMessage() + ")");
            return 2;
        }
        try {
            if (file != null) {
                readFile(file);
            } else {
                readTopic(bootstrap, topic);
            }
        } catch (IOException | RuntimeException e) {
            out.println("cannot read the input: " + e.getMessage());
            return 2;
        }
        return report(expected);
    }

    private void readFile(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    accept(null, line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private void readTopic(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "verdict-verify-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " not found on " + bootstrap);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> accept(
                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), record.value()));
            }
        }
    }

    /** Feeds one record; the key (when read from Kafka) must be the envelope's advertiser. */
    void accept(String key, byte[] value) {
        records++;
        if (records % PROGRESS_EVERY == 0) {
            progress.printf("verify: %,d records read, %,d advertisers%n", records, chains.size());
        }
        JsonNode envelope;
        try {
            envelope = EventJson.mapper().readTree(value);
        } catch (IOException e) {
            envelope = null;
        }
        String advertiserId = envelope == null ? null : envelope.path("advertiserId").asText(null);
        if (advertiserId == null) {
            chains.computeIfAbsent(key == null ? "(unreadable)" : key, k -> new Chain()).problem =
                    "record " + records + " is not an envelope";
            return;
        }
        Chain chain = chains.computeIfAbsent(advertiserId, k -> new Chain());
        if (key != null && !key.equals(advertiserId)) {
            chain.problem = chain.problem != null ? chain.problem : "an event keyed " + key + " names " + advertiserId;
            return;
        }
        String eventId = envelope.path("eventId").asText("");
        String claimed = envelope.path("integrity").path("hash").asText("");
        String seen = chain.hashByEventId.get(eventId);
        if (seen != null) {
            if (seen.equals(claimed) && HashChain.hash(envelope).equals(claimed)) {
                chain.duplicates++;
            } else if (chain.problem == null) {
                chain.problem = "event " + eventId + " appears twice with different content";
            }
            return;
        }
        chain.hashByEventId.put(eventId, claimed);
        chain.verifier.accept(envelope);
    }

    private int report(Map<String, Long> expected) {
        expected.keySet().forEach(advertiser -> chains.computeIfAbsent(advertiser, k -> new Chain()));
        int broken = 0;
        out.printf("%-40s %10s %10s  %s%n", "advertiser", "events", "re-sends", "chain");
        for (var entry : chains.entrySet()) {
            Chain chain = entry.getValue();
            long expectedEvents = expected.getOrDefault(entry.getKey(), 0L);
            boolean valid = chain.verifier.complete(expectedEvents) && chain.problem == null;
            String verdict = valid ? "valid" : chain.problem != null ? "BROKEN: " + chain.problem
                    : "BROKEN at sequence " + chain.verifier.firstBrokenSequence()
                    + (expectedEvents > chain.verifier.checked() ? " (expected " + expectedEvents + " events)" : "");
            out.printf("%-40s %10d %10d  %s%n", entry.getKey(), chain.verifier.checked(), chain.duplicates, verdict);
            if (!valid) {
                broken++;
            }
        }
        out.printf("%,d records, %,d advertisers, %d broken%n", records, chains.size(), broken);
        return broken == 0 ? 0 : 1;
    }

    List<String> advertisers() {
        return new ArrayList<>(chains.keySet());
    }
}
