package dev.verdict.audit.admin;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Instants;
import dev.verdict.servicekit.Page;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Events stored verbatim that this version of audit-service does not understand (an unknown type, or a newer schema
 * version): nothing is dropped, and an operator sees what a newer producer sent before audit-service is upgraded.
 */
@RestController
class UnrecognisedEventsController {

    private static final int PAGE = 500;

    /** One event not understood: where it is, and what it claims to be. */
    record Unrecognised(String eventId, String advertiserId, long sequence, String eventType, int schemaVersion,
                        Instant receivedAt) {
    }

    private final JdbcTemplate jdbc;

    UnrecognisedEventsController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/admin/unrecognised-events")
    Page<Unrecognised> list(@RequestParam(required = false) String cursor) {
        Instant after = Instant.EPOCH;
        String afterId = "";
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                after = Instants.parse(parts[0]);
                afterId = parts[1];
            } catch (RuntimeException e) {
                throw ApiException.badRequest("invalid-cursor", "the cursor is not one this API returned");
            }
        }
        List<Unrecognised> rows = jdbc.query("""
                SELECT event_id, advertiser_id, sequence, event_type, schema_version, received_at FROM audit_event
                WHERE NOT understood AND (received_at, event_id::text) > (?, ?)
                ORDER BY received_at, event_id::text LIMIT ?""",
                (rs, n) -> new Unrecognised(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getInt(5), rs.getTimestamp(6).toInstant()), Timestamp.from(after), afterId, PAGE + 1);
        if (rows.size() <= PAGE) {
            return new Page<>(rows, null);
        }
        Unrecognised last = rows.get(PAGE - 1);
        return new Page<>(rows.subList(0, PAGE), Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.receivedAt() + "|" + last.eventId()).getBytes(StandardCharsets.UTF_8)));
    }
}
