package dev.verdict.audit.admin;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Instants;
import dev.verdict.servicekit.Page;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Who read what in audit-service, and when: {@code principal}, {@code from}, {@code to}, cursor paging. */
@RestController
class AccessLogController {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    record Access(long id, Instant at, String principal, String roles, String method, String path, String query,
                  int status) {
    }

    private final JdbcTemplate jdbc;

    AccessLogController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/admin/access-log")
    Page<Access> accessLog(@RequestParam(required = false) String principal,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) Integer limit) {
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            throw ApiException.badRequest("validation-failed", "limit must be between 1 and " + MAX_LIMIT);
        }
        long after;
        try {
            after = cursor == null ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid-cursor", "the cursor is not one this API returned");
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM access_log WHERE id > ?");
        List<Object> args = new ArrayList<>(List.of(after));
        if (principal != null) {
            sql.append(" AND principal = ?");
            args.add(principal);
        }
        if (from != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(instant("from", from)));
        }
        if (to != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(instant("to", to)));
        }
        sql.append(" ORDER BY id LIMIT ?");
        args.add(pageSize + 1);
        List<Access> rows = jdbc.query(sql.toString(), (rs, n) -> new Access(rs.getLong("id"),
                rs.getTimestamp("at").toInstant(), rs.getString("principal"), rs.getString("roles"),
                rs.getString("method"), rs.getString("path"), rs.getString("query"), rs.getInt("status")),
                args.toArray());
        return rows.size() <= pageSize ? new Page<>(rows, null)
                : new Page<>(rows.subList(0, pageSize), Long.toString(rows.get(pageSize - 1).id()));
    }

    private static Instant instant(String name, String value) {
        return Instants.parameter(name, value);
    }
}
