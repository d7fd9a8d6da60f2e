package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verdict.testkit.Api;
import dev.verdict.testkit.RealServers;
import dev.verdict.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The event store's global index under torture: appends whose transactions stay open while more than 10,000 later
 * appends commit, writers that roll back after taking an index, all at once. Every committed event must reach the
 * topic, exactly once; a gap may be given up only when its transaction has ended.
 */
class GapTortureIT extends LiveModerationService {

    private static final int LATER_COMMITS = 10_200;
    private static final int HELD = 3;

    @Test
    void everyCommittedEventReachesTheTopicThoughItsTransactionOutlivedTenThousandLaterOnes() throws Exception {
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            slow.add(register("slow-" + UUID.randomUUID().toString().substring(0, 8)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(HELD + 6);
        AtomicBoolean tortured = new AtomicBoolean(true);
        AtomicInteger rolledBack = new AtomicInteger();
        try (Connection blocker = jdbc.getDataSource().getConnection()) {
            // Notes are projected in the command's transaction, after its event took its index: holding the note
            // table keeps each note's transaction open with its index taken, for as long as this test wants.
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("LOCK TABLE note_view IN SHARE MODE");
            }
            List<Future<Api.Response>> notes = new ArrayList<>();
            for (String advertiser : slow) {
                notes.add(pool.submit(() -> new Api("http://localhost:" + port, Duration.ofMinutes(5)).post("moderator1",
                        "/api/v1/advertisers/" + advertiser + "/notes", "{\"text\": \"held open\"}")));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO note_view%'
                    """, Integer.class) == HELD);
            long heldIndexesFrom = jdbc.queryForObject("SELECT last_value FROM domain_event_entry_global_index_seq",
                    Long.class);

            // Writers that take an index and roll back, some of them slowly, while the commits below go on.
            List<Future<?>> rollbacks = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                rollbacks.add(pool.submit(() -> {
                    rollBackRepeatedly(tortured, rolledBack);
                    return null;
                }));
            }
            List<Future<Integer>> committers = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                committers.add(pool.submit(() -> {
                    Api api = new Api("http://localhost:" + port);
                    int created = 0;
                    for (int i = 0; i < LATER_COMMITS / 4; i++) {
                        String id = "later-" + UUID.randomUUID().toString().substring(0, 13);
                        Api.Response response = api.post("moderator1", "/api/v1/advertisers", """
                                {"advertiserId": "%s", "legalName": "Later", "country": "DE", "accountType": "BUSINESS"}
                                """.formatted(id));
                        assertThat(response.status()).as(response.body()).isEqualTo(201);
                        created++;
                    }
                    return created;
                }));
            }
            int committed = 0;
            for (Future<Integer> committer : committers) {
                committed += committer.get();
            }
            tortured.set(false);
            for (Future<?> rollback : rollbacks) {
                rollback.get();
            }
            assertThat(committed).isEqualTo(LATER_COMMITS);
            assertThat(rolledBack.get()).isPositive();

            // Everything committed so far is published; the held events, behind more than 10,000 later indexes,
            // are still awaited, not given up.
            Set<String> committedSoFar = storedEventIds();
            Set<String> onTopic = awaitPublished(committedSoFar);
            assertThat(notes).noneMatch(Future::isDone);
            assertThat(jdbc.queryForObject("SELECT last_index FROM publication_position", Long.class))
                    .isGreaterThan(heldIndexesFrom + 10_000);
            assertThat(jdbc.queryForObject(
                    "SELECT cardinality(gap_from) FROM publication_position", Integer.class)).isPositive();
            assertThat(onTopic).containsAll(committedSoFar);

            blocker.rollback();
            for (Future<Api.Response> note : notes) {
                Api.Response response = note.get();
                assertThat(response.status()).as(response.body()).isEqualTo(201);
            }
        } finally {
            tortured.set(false);
            pool.shutdown();
        }

        Set<String> everything = storedEventIds();
        awaitPublished(everything);
        List<ConsumerRecord<String, byte[]>> records = readTopic(everything);
        List<String> published = records.stream().map(GapTortureIT::eventId).toList();
        assertThat(published).as("published exactly once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(published)).isEqualTo(everything);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT cardinality(gap_from) FROM publication_position", Integer.class))
                .as("every rolled-back index given up once its transaction ended").isZero());
    }

    /** Takes an index in a transaction that then rolls back, again and again, sometimes after a pause. */
    private void rollBackRepeatedly(AtomicBoolean tortured, AtomicInteger rolledBack) throws Exception {
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            int round = 0;
            while (tortured.get()) {
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                            payload, payload_type, time_stamp)
                        VALUES (?, 0, 'Advertiser', ?, '{}'::bytea, 'rolled.Back', '2026-01-01T00:00:00Z')
                        """)) {
                    insert.setString(1, "rollback-" + UUID.randomUUID());
                    insert.setString(2, UUID.randomUUID().toString());
                    insert.executeUpdate();
                }
                if (++round % 10 == 0) {
                    try (Statement pause = connection.createStatement()) {
                        pause.execute("SELECT pg_sleep(0.2)");
                    }
                }
                connection.rollback();
                rolledBack.incrementAndGet();
            }
        }
    }

    private Set<String> storedEventIds() {
        return new HashSet<>(jdbc.queryForList("SELECT event_identifier FROM domain_event_entry", String.class));
    }

    private static Set<String> awaitPublished(Set<String> expected) {
        Set<String> published = new HashSet<>();
        readTopic(expected).forEach(record -> published.add(eventId(record)));
        return published;
    }

    private static List<ConsumerRecord<String, byte[]>> readTopic(Set<String> expected) {
        Set<String> seen = new HashSet<>();
        return TopicReader.readUntil(RealServers.kafkaBootstrapServers(), TOPIC, records -> {
            for (int i = seen.size(); i < records.size(); i++) {
                seen.add(eventId(records.get(i)));
            }
            return seen.containsAll(expected);
        }, Duration.ofSeconds(60));
    }

    private static String eventId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("eventId");
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
