package dev.verdict.servicekit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A PostgreSQL session-level advisory lock, held by one connection taken from the pool for as long as the lock is
 * held. Only one session in the database holds a key at a time, across every instance of a service; when the
 * holder's session ends (a crash, a cut connection) PostgreSQL releases the lock, so a lock is never left behind by
 * an instance that is gone.
 */
public final class AdvisoryLock implements AutoCloseable {

    private final long key;
    private final Connection connection;

    private AdvisoryLock(long key, Connection connection) {
        this.key = key;
        this.connection = connection;
    }

    /** The lock on {@code key}, if no other session holds it now; the connection it holds is in auto-commit mode. */
    public static Optional<AdvisoryLock> tryAcquire(DataSource dataSource, long key) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, key);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        return Optional.of(new AdvisoryLock(key, connection));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** The session that holds the lock: statements on it run while the lock is held. */
    public Connection connection() {
        return connection;
    }

    /** Ends the lock (closing the connection would end it too, but a pooled connection lives on in the pool). */
    @Override
    public void close() {
        try (connection) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setLong(1, key);
                statement.execute();
            }
        } catch (SQLException e) {
            // The connection is gone, and the lock with it.
        }
    }
}
