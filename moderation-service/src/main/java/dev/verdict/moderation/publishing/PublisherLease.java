package dev.verdict.moderation.publishing;

import dev.verdict.servicekit.AdvisoryLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The right to publish, claimed through the event store's database: a session-level advisory lock held by one
 * connection of the instance that publishes. Any number of instances may run; one publishes, the others stand by
 * and take over when its session ends (a crash closes its connection, and PostgreSQL releases the lock).
 *
 * <p>The position is read and written through the same connection. A write can therefore only come from the session
 * that holds the lock: an instance that lost its connection (and so its lease) cannot move the position any more.
 * The publisher reads the event store through it too ({@link #connection()}), so that it never waits for a pooled
 * connection behind the commands.
 */
final class PublisherLease implements AutoCloseable {

    /** The advisory lock key: an arbitrary constant, "VERDICTP" in ASCII. */
    private static final long LOCK_KEY = 0x5645524449435450L;

    private final String publisher;
    private final AdvisoryLock lock;
    private final Connection connection;

    private PublisherLease(String publisher, AdvisoryLock lock) {
        this.publisher = publisher;
        this.lock = lock;
        this.connection = lock.connection();
    }

    /** The lease, if no other instance holds it now. */
    static PublisherLease tryAcquire(DataSource dataSource, String publisher) throws SQLException {
        return AdvisoryLock.tryAcquire(dataSource, LOCK_KEY).map(lock -> new PublisherLease(publisher, lock))
                .orElse(null);
    }

    /** The lease's own connection, in auto-commit mode, for the publisher's reads. */
    Connection connection() {
        return connection;
    }

    PublicationPosition load() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT last_index, gap_from, gap_to, gap_horizon FROM publication_position WHERE publisher = ?")) {
            statement.setString(1, publisher);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return PublicationPosition.start();
                }
                Long[] from = (Long[]) result.getArray(2).getArray();
                Long[] to = (Long[]) result.getArray(3).getArray();
                Long[] horizon = (Long[]) result.getArray(4).getArray();
                List<PublicationPosition.Gap> gaps = new ArrayList<>(from.length);
                for (int i = 0; i < from.length; i++) {
                    gaps.add(new PublicationPosition.Gap(from[i], to[i], horizon[i]));
                }
                return new PublicationPosition(result.getLong(1), gaps);
            }
        }
    }

    void save(PublicationPosition position) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO publication_position (publisher, last_index, gap_from, gap_to, gap_horizon, updated_at)
                VALUES (?, ?, ?, ?, ?, now())
                ON CONFLICT (publisher) DO UPDATE SET last_index = excluded.last_index, gap_from = excluded.gap_from,
                    gap_to = excluded.gap_to, gap_horizon = excluded.gap_horizon, updated_at = excluded.updated_at
                """)) {
            statement.setString(1, publisher);
            statement.setLong(2, position.lastIndex());
            statement.setArray(3, connection.createArrayOf("bigint",
                    position.gaps().stream().map(PublicationPosition.Gap::from).toArray(Long[]::new)));
            statement.setArray(4, connection.createArrayOf("bigint",
                    position.gaps().stream().map(PublicationPosition.Gap::to).toArray(Long[]::new)));
            statement.setArray(5, connection.createArrayOf("bigint",
                    position.gaps().stream().map(PublicationPosition.Gap::horizon).toArray(Long[]::new)));
            statement.executeUpdate();
        }
    }

    /** Ends the lease ({@link AdvisoryLock#close()}). */
    @Override
    public void close() {
        lock.close();
    }
}
