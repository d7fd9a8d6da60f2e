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
    private static final String BEYOND = COLUMNS + """
            FROM domain_event_entry e WHERE e.global_index > ? ORDER BY e.global_index LIMIT ?
            """;

    private EventStoreReader() {
    }

    /**
     * @param complete whether every event beyond the position was read (the read was not cut by its limit)
     */
    record Read(long xmin, List<StoredEvent> events, boolean complete) {

        List<Long> indexes() {
            return events.stream().map(StoredEvent::globalIndex).toList();
        }
    }

    /** Reads in a transaction of its own on {@code connection}, which is in auto-commit mode before and after. */
    static Read read(Connection connection, PublicationPosition position, int limit) throws SQLException {
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
            int beyond;
            try (PreparedStatement statement = connection.prepareStatement(BEYOND)) {
                statement.setLong(1, position.lastIndex());
                statement.setInt(2, limit);
                beyond = collect(statement, events);
            }
            connection.commit();
            return new Read(xmin, events, beyond < limit);
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

    private static int collect(PreparedStatement statement, List<StoredEvent> events) throws SQLException {
        int count = 0;
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                events.add(new StoredEvent(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                        rows.getString(5), rows.getBytes(6), rows.getBytes(7), rows.getString(8), rows.getString(9)));
                count++;
            }
        }
        return count;
    }
}
