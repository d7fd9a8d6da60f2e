package dev.verdict.audit.history;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class HistoryRepository {

    private final JdbcTemplate jdbc;

    HistoryRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit + 1} events, in sequence order (the extra one tells whether a next page exists). */
    List<EnvelopePages.Stored> page(HistoryQuery query) {
        StringBuilder sql = new StringBuilder(
                "SELECT sequence, envelope FROM audit_event WHERE advertiser_id = ? AND sequence > ?");
        List<Object> args = query.filters().newArgs(query.advertiserId(), query.afterSequence());
        query.filters().appendTo(sql, args);
        sql.append(" ORDER BY sequence LIMIT ?");
        args.add(query.filters().limit() + 1);
        return jdbc.query(sql.toString(), (rs, n) -> new EnvelopePages.Stored(rs.getLong(1), rs.getString(2)),
                args.toArray());
    }

    /** Up to {@code limit + 1} events of any advertiser, in arrival order, after position {@code after}. */
    List<EnvelopePages.Stored> search(EventFilters filters, long after) {
        StringBuilder sql = new StringBuilder("SELECT audit_seq, envelope FROM audit_event WHERE audit_seq > ?");
        List<Object> args = filters.newArgs(after);
        filters.appendTo(sql, args);
        sql.append(" ORDER BY audit_seq LIMIT ?");
        args.add(filters.limit() + 1);
        return jdbc.query(sql.toString(), (rs, n) -> new EnvelopePages.Stored(rs.getLong(1), rs.getString(2)),
                args.toArray());
    }

    boolean exists(String advertiserId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM audit_event WHERE advertiser_id = ?)", Boolean.class, advertiserId));
    }
}
