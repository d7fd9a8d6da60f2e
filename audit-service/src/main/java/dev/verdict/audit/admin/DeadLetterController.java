package dev.verdict.audit.admin;

import dev.verdict.audit.ingest.AuditWriter;
import dev.verdict.audit.ingest.Refusals;
import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Page;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * ADMIN's view of the dead letters (what went to the dead-letter topic, with the reason) and a retry: the record is
 * read and stored again as if it had just arrived; if it still cannot be stored, the answer says why and nothing
 * changes.
 */
@RestController
class DeadLetterController {

    private static final int PAGE = 200;

    record DeadLetter(long id, String topic, int partition, long offset, String key, String value, String reason,
                      Instant receivedAt, Instant retriedAt, String retryResult) {
    }

    private final JdbcTemplate jdbc;
    private final AuditWriter writer;

    DeadLetterController(JdbcTemplate jdbc, AuditWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
    }

    @GetMapping("/api/v1/admin/dead-letters")
    Page<DeadLetter> list(@RequestParam(required = false) String cursor) {
        long after = 0;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid-cursor", "the cursor is not one this API returned");
            }
        }
        List<DeadLetter> rows = jdbc.query("""
                SELECT * FROM unreadable_record WHERE id > ? ORDER BY id LIMIT ?""", (rs, n) -> new DeadLetter(
                rs.getLong("id"), rs.getString("topic"), rs.getInt("partition"), rs.getLong("record_offset"),
                rs.getString("record_key"), text(rs.getBytes("record_value")), rs.getString("reason"),
                rs.getTimestamp("received_at").toInstant(),
                rs.getTimestamp("retried_at") == null ? null : rs.getTimestamp("retried_at").toInstant(),
                rs.getString("retry_result")), after, PAGE + 1);
        return rows.size() <= PAGE ? new Page<>(rows, null)
                : new Page<>(rows.subList(0, PAGE), Long.toString(rows.get(PAGE - 1).id()));
    }

    @PostMapping("/api/v1/admin/dead-letters/{id}/retry")
    DeadLetter retry(@PathVariable long id) {
        List<ConsumerRecord<String, byte[]>> found = jdbc.query(
                "SELECT topic, partition, record_offset, record_key, record_value FROM unreadable_record WHERE id = ?",
                (rs, n) -> new ConsumerRecord<>(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                        rs.getBytes(5)), id);
        if (found.isEmpty()) {
            throw ApiException.notFound("dead-letter-not-found", "no dead letter " + id);
        }
        String result;
        try {
            result = writer.retry(found.get(0)) ? "stored" : "already stored";
        } catch (RuntimeException e) {
            if (!(e instanceof AuditWriter.StillUnreadable) && !Refusals.refused(e)) {
                throw e;
            }
            jdbc.update("UPDATE unreadable_record SET retried_at = now(), retry_result = ? WHERE id = ?",
                    "still failing: " + e.getMessage(), id);
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "dead-letter-still-failing", e.getMessage());
        }
        jdbc.update("UPDATE unreadable_record SET retried_at = now(), retry_result = ? WHERE id = ?", result, id);
        return list(Long.toString(id - 1)).items().get(0);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
