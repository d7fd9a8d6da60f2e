package dev.verdict.moderation.publishing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the event store for the publisher: what lies beyond its position, and whatever has appeared in its gaps,
 * together with the xmin of the snapshot the rows were read in (a read-only REPEATABLE READ transaction, so that the
 * snapshot and the rows agree). Reads the table itself, never through Axon: the published envelope carries the payload
 * exactly as stored and hashed, whatever upcasters the aggregates read it through.
 *
 * <p>It reads through the connection of the publisher's lease, never through the pool the commands use: when every
 * pooled connection is busy with a command, the events of the commands that did commit must not wait for one.
 */
final class EventStoreReader {

    private static final String COLUMNS = """
            SELECT e.global_index, e.aggregate_identifier, e.sequence_number, e.type, e.event_identifier, e.meta_data,
                   e.payload, e.payload_type, e.time_stamp
            """;
    /**
     * Events that have appeared in the gaps: few, each gap looked up through the primary key. The lateral subquery
     * with {@code OFFSET 0} is not merged into a join: merged, the plan PostgreSQL caches for the statement after
     * its fifth run (a generic plan, blind to how narrow the gaps are) scanned the whole table, 181 ms at 108,000
     * events and growing with the store (EventStoreReaderIT).
     */
    static final String IN_GAPS = COLUMNS + """
            FROM unnest(?::BIGINT[], ?::BIGINT[]) AS gap(first, last)
            CROSS JOIN LATERAL (
                SELECT * FROM domain_event_entry g WHERE g.global_index BETWEEN gap.first AND gap.last OFFSET 0
            ) e
            ORDER BY e.global_index
            """;
    /**
     * The events beyond the position in index order, at most {@code limit} of them; after the first, the payload and
     * metadata only of those that fit, their stored bytes added up, within the byte budget ({@code NULL} beyond it, the
     * payload being never null otherwise): a backlog of the largest events the API takes (about 1 MB each, a bulk
     * decision makes a thousand at once) would otherwise bring hundreds of MB into one read, and several such batches
     * wait in memory for Kafka. {@code octet_length} reads a stored value's size from its header, without fetching
     * it. One window over at most {@code limit} rows: 0.04 ms more than the plain read for 5 rows, 0.5 ms more for 500
     * (pgbench, 100,000 events of 1.4 kB).
     */
    static final String BEYOND = """
            SELECT e.global_index, e.aggregate_identifier, e.sequence_number, e.type, e.event_identifier,
                   CASE WHEN e.within THEN e.meta_data END, CASE WHEN e.within THEN e.payload END, e.payload_type,
                   e.time_stamp
            FROM (
                SELECT c.*, row_number() OVER w = 1
                            OR sum(octet_length(c.payload) + coalesce(octet_length(c.meta_data), 0)) OVER w <= ?
                            AS within
                FROM (SELECT * FROM domain_event_entry WHERE global_index > ? ORDER BY global_index LIMIT ?) c
                WINDOW w AS (ORDER BY c.global_index)
            ) e
            ORDER BY e.global_index
            """;

    private EventStoreReader() {
    }

    /**
     * @param complete whether every event beyond the position was read (the read was cut neither by its count limit nor
     *                 by its byte budget)
     */
    record Read(long xmin, List<StoredEvent> events, boolean complete) {

        List<Long> indexes() {
            return events.stream().map(StoredEvent::globalIndex).toList();
        }
    }

    /**
     * Reads in a transaction of its own on {@code connection}, which is in auto-commit mode before and after: the
     * events in the gaps, then at most {@code limit} beyond the position, of at most {@code maxBytes} stored bytes
     * together unless the first alone is larger.
     */
    static Read read(Connection connection, PublicationPosition position, int limit, long maxBytes)
            throws SQLException {
        try {
            // One statement sets up the transaction (the driver sends its BEGIN along with it), instead of the JDBC
            // setters, which cost a round trip each way and another to restore: the relay reads at every commit.
            connection.setAutoCommit(false);
            long xmin;
            try (PreparedStatement setUp = connection.prepareStatement(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")) {
                setUp.execute();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_snapshot_xmin(pg_current_snapshot())::TEXT::BIGINT");
                 ResultSet result = statement.executeQuery()) {
                result.next();
                xmin = result.getLong(1);
            }
            List<StoredEvent> events = new ArrayList<>();
            if (!position.gaps().isEmpty()) {
                try (PreparedStatement statement = connection.prepareStatement(IN_GAPS)) {
                    statement.setArray(1, connection.createArrayOf("bigint",
                            position.gaps().stream().map(PublicationPosition.Gap::from).toArray(Long[]::new)));
                    statement.setArray(2, connection.createArrayOf("bigint",
                            position.gaps().stream().map(PublicationPosition.Gap::to).toArray(Long[]::new)));
                    collect(statement, events);
                }
            }
            boolean complete;
            try (PreparedStatement statement = connection.prepareStatement(BEYOND)) {
                statement.setLong(1, maxBytes);
                statement.setLong(2, position.lastIndex());
                statement.setInt(3, limit);
                int before = events.size();
                int beyond = collect(statement, events);
                complete = beyond < limit && events.size() - before == beyond;
            }
            connection.commit();
            return new Read(xmin, events, complete);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * A transaction id assigned now, in a transaction of its own that ends at once: larger than the id of every
     * transaction that had one before (ids are assigned in increasing order). Called after a read that opened gaps,
     * it is their horizon (see {@link PublicationPosition}). Costs one transaction id per such read. The connection
     * is in auto-commit mode.
     */
    static long freshTransactionId(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_current_xact_id()::TEXT::BIGINT");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Adds the rows as events, in order, up to the first without a payload (beyond the byte budget: so are all after
     * it); returns how many rows there were.
     */
    private static int collect(PreparedStatement statement, List<StoredEvent> events) throws SQLException {
        int rowCount = 0;
        boolean withinBudget = true;
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                rowCount++;
                byte[] payload = rows.getBytes(7);
                withinBudget &= payload != null;
                if (withinBudget) {
                    events.add(new StoredEvent(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                            rows.getString(5), rows.getBytes(6), payload, rows.getString(8), rows.getString(9)));
                }
            }
        }
        return rowCount;
    }
}
