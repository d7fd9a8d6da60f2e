package dev.verdict.moderation.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher's reads on a real PostgreSQL, on an event store of 100,000 events of about the size the service
 * stores (1.4 kB with their metadata; the service's own schema, migrated by Flyway): what a read returns, and what
 * the plan PostgreSQL caches for the gap read costs.
 */
class EventStoreReaderIT {

    private static final int EVENTS = 100_000;

    private static Connection connection;

    @BeforeAll
    static void store() throws Exception {
        RealServers.Database database = RealServers.newDatabase("reader");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/migration").load().migrate();
        connection = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                                                    meta_data, payload, payload_type, time_stamp)
                    SELECT 'advertiser-' || (i %% 1000), i / 1000, 'Advertiser', 'event-' || i,
                           convert_to('{"meta": "' || repeat('m', 680) || '"}', 'UTF8'),
                           convert_to('{"n": ' || i || ', "statement": "' || repeat('s', 650) || '"}', 'UTF8'),
                           'dev.verdict.contract.AdvertiserWarned', '2026-01-01T00:00:00Z'
                    FROM generate_series(1, %d) AS i
                    """.formatted(EVENTS));
            statement.execute("ANALYZE domain_event_entry");
        }
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @Test
    void aReadReturnsWhatAppearedInTheGapsThenWhatLiesBeyondInIndexOrder() throws Exception {
        PublicationPosition position = new PublicationPosition(EVENTS - 5, List.of(
                new PublicationPosition.Gap(10, 12, Long.MAX_VALUE),
                new PublicationPosition.Gap(500, 500, Long.MAX_VALUE)));

        EventStoreReader.Read read = EventStoreReader.read(connection, position, 3, Long.MAX_VALUE);

        assertThat(read.indexes()).containsExactly(10L, 11L, 12L, 500L, EVENTS - 4L, EVENTS - 3L, EVENTS - 2L);
        assertThat(read.complete()).as("two events beyond were left for the next read").isFalse();
        assertThat(new String(read.events().get(3).payload(), StandardCharsets.UTF_8)).startsWith("{\"n\": 500,");
        assertThat(connection.getAutoCommit()).as("the lease's connection is handed back in auto-commit").isTrue();

        EventStoreReader.Read rest = EventStoreReader.read(connection, new PublicationPosition(EVENTS - 2, List.of()),
                3, Long.MAX_VALUE);
        assertThat(rest.indexes()).containsExactly(EVENTS - 1L, (long) EVENTS);
        assertThat(rest.complete()).isTrue();
    }

    /**
     * Beyond the position a read takes events while their stored bytes (payload and metadata) add up to no more than
     * its budget, and always the first, so that one event larger than the budget is still published.
     */
    @Test
    void aReadBeyondThePositionStopsAtItsByteBudgetButAlwaysTakesOneEvent() throws Exception {
        long size = storedBytes(EVENTS - 9); // the same for the next ones: they differ only in their number
        PublicationPosition position = new PublicationPosition(EVENTS - 10, List.of());

        EventStoreReader.Read three = EventStoreReader.read(connection, position, 5, 3 * size + size / 2);
        assertThat(three.indexes()).containsExactly(EVENTS - 9L, EVENTS - 8L, EVENTS - 7L);
        assertThat(three.complete()).as("cut by the budget").isFalse();

        EventStoreReader.Read one = EventStoreReader.read(connection, position, 5, 1);
        assertThat(one.indexes()).containsExactly(EVENTS - 9L);
        assertThat(one.complete()).isFalse();

        EventStoreReader.Read counted = EventStoreReader.read(connection, position, 5, Long.MAX_VALUE);
        assertThat(counted.indexes()).hasSize(5);
        assertThat(counted.complete()).as("cut by the count").isFalse();

        EventStoreReader.Read last = EventStoreReader.read(connection, new PublicationPosition(EVENTS - 2, List.of()),
                5, storedBytes(EVENTS - 1) + storedBytes(EVENTS));
        assertThat(last.indexes()).containsExactly(EVENTS - 1L, (long) EVENTS);
        assertThat(last.complete()).as("everything beyond, exactly within the budget").isTrue();

        EventStoreReader.Read none = EventStoreReader.read(connection, new PublicationPosition(EVENTS, List.of()),
                5, 1);
        assertThat(none.events()).isEmpty();
        assertThat(none.complete()).isTrue();
    }

    /**
     * The read beyond the position, in the generic plan PostgreSQL may cache for it, reads the event store through
     * its primary key from the position on and stops at the count limit, however large the store.
     */
    @Test
    void theReadBeyondThePositionReadsNoMoreThanItsLimitFromTheStore() throws Exception {
        JsonNode plan = genericPlan(EventStoreReader.BEYOND, "BIGINT, BIGINT, INT", "4194304, 50000, 500");

        List<JsonNode> nodes = new ArrayList<>();
        collect(plan, nodes);
        List<JsonNode> scans = nodes.stream()
                .filter(node -> "domain_event_entry".equals(node.path("Relation Name").asText())).toList();
        assertThat(plan.path("Actual Rows").asLong()).as("events read, plan: %s", plan).isEqualTo(500);
        assertThat(scans).as("plan: %s", plan).hasSize(1)
                .allSatisfy(scan -> assertThat(scan.path("Node Type").asText()).isEqualTo("Index Scan"))
                .allSatisfy(scan -> assertThat(scan.path("Actual Rows").asLong()).isLessThanOrEqualTo(500));
    }

    private static long storedBytes(long index) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT octet_length(payload) + octet_length(meta_data) FROM domain_event_entry WHERE global_index = "
                        + index)) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * After a prepared statement's fifth run PostgreSQL may keep a generic plan, made without the parameters' values.
     * The gap read must look up only the gaps in it: a plan that joins the gaps to a scan of the whole table reads
     * every stored event on each of the publisher's reads (session 5 measured 122 to 537 ms per read at about
     * 108,000 events, and it grows with the store).
     */
    @Test
    void theGapReadsCachedPlanLooksUpOnlyTheGaps() throws Exception {
        List<Long> from = List.of(10L, 40_000L, 99_990L);
        List<Long> to = List.of(12L, 40_000L, 99_993L);
        long inGaps = LongStream.range(0, from.size()).map(i -> to.get((int) i) - from.get((int) i) + 1).sum();
        JsonNode plan = genericPlan(EventStoreReader.IN_GAPS, "BIGINT[], BIGINT[]",
                "'{" + join(from) + "}', '{" + join(to) + "}'");

        List<JsonNode> nodes = new ArrayList<>();
        collect(plan, nodes);
        List<JsonNode> scans = nodes.stream()
                .filter(node -> "domain_event_entry".equals(node.path("Relation Name").asText())).toList();
        // EXPLAIN gives a node's rows per loop, rounded: allow half a row per loop either way.
        long loops = scans.stream().mapToLong(node -> node.path("Actual Loops").asLong()).sum();
        long rowsOfTheTable = scans.stream()
                .mapToLong(node -> node.path("Actual Rows").asLong() * node.path("Actual Loops").asLong()).sum();
        long rowsDiscarded = nodes.stream().mapToLong(node -> node.path("Rows Removed by Join Filter").asLong()
                + node.path("Rows Removed by Filter").asLong()).sum();
        assertThat(plan.path("Actual Rows").asLong()).as("events found in the gaps").isEqualTo(inGaps);
        assertThat(scans).as("scans of the event store, plan: %s", plan).isNotEmpty()
                .allSatisfy(scan -> assertThat(scan.path("Index Cond").asText()).contains("gap.first", "gap.last"));
        assertThat(rowsOfTheTable).as("rows read from the event store, plan: %s", plan)
                .isLessThanOrEqualTo(inGaps + loops);
        assertThat(rowsDiscarded).as("rows read and thrown away, plan: %s", plan).isZero();
    }

    /**
     * The plan PostgreSQL runs {@code sql} with when it keeps a generic plan (made without the parameters' values),
     * executed with {@code arguments}.
     */
    private static JsonNode genericPlan(String sql, String types, String arguments) throws Exception {
        String numbered = sql;
        for (int i = 1; numbered.contains("?"); i++) {
            numbered = numbered.replaceFirst("\\?", "\\$" + i);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE planned (" + types + ") AS " + numbered);
            try (ResultSet result = statement.executeQuery(
                    "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE planned(" + arguments + ")")) {
                result.next();
                return new ObjectMapper().readTree(result.getString(1)).get(0).get("Plan");
            } finally {
                statement.execute("DEALLOCATE planned");
                statement.execute("RESET plan_cache_mode");
            }
        }
    }

    private static String join(List<Long> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static void collect(JsonNode node, List<JsonNode> nodes) {
        nodes.add(node);
        node.path("Plans").forEach(child -> collect(child, nodes));
    }
}
