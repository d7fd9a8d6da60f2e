package dev.verdict.audit.history;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class HistoryRepository {

    /** One stored event: its sequence (for the cursor) and its envelope exactly as published. */
    record StoredEvent(long sequence, String envelope) {
    }

    private final JdbcTemplate jdbc;

    HistoryRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit + 1} events, in sequence order (the extra one tells whether a next page exists). */
    List<StoredEvent> page(HistoryQuery query) {
        StringBuilder sql = new StringBuilder(
                "SELECT sequence, envelope FROM audit_event WHERE advertiser_id = ? AND sequence > ?");
        List<Object> args = new ArrayList<>(List.of(query.advertiserId(), query.afterSequence()));
        if (!query.types().isEmpty()) {
            sql.append(" AND event_type = ANY (?)");
            args.add(query.types().toArray(String[]::new));
        }
        if (query.actor() != null) {
            sql.append(" AND actor_id = ?");
            args.add(query.actor());
        }
        if (query.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(query.to()));
        }
        sql.append(" ORDER BY sequence LIMIT ?");
        args.add(query.limit() + 1);
        return jdbc.query(sql.toString(), (rs, n) -> new StoredEvent(rs.getLong(1), rs.getString(2)), args.toArray());
    }

    boolean exists(String advertiserId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM audit_event WHERE advertiser_id = ?)", Boolean.class, advertiserId));
    }
}
