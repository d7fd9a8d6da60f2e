package dev.verdict.moderation.idempotency;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Stored first answers to requests that carried an Idempotency-Key. */
@Repository
public class IdempotencyRecords {

    /** The first answer: the request it answered (by hash), its body and location. */
    public record Stored(String requestHash, String response, String location) {
    }

    private final JdbcTemplate jdbc;

    public IdempotencyRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Stored> find(String principal, String key) {
        return jdbc.query("SELECT request_hash, response, location FROM idempotency_record "
                        + "WHERE principal = ? AND idempotency_key = ?",
                (rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3)), principal, key)
                .stream().findFirst();
    }

    /**
     * Records the answer inside the caller's transaction; false when the key was recorded first by another request
     * (a concurrent duplicate waits on the key until that one commits).
     */
    boolean insert(String principal, String key, String requestHash, String response, String location) {
        return jdbc.update("""
                INSERT INTO idempotency_record (principal, idempotency_key, request_hash, response, location)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", principal, key, requestHash, response, location) == 1;
    }
}
