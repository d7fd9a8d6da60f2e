package dev.verdict.audit.history;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A page of envelopes as published, written as {@code {"items": [...], "nextCursor": ...}} without re-encoding. */
public final class EnvelopePages {

    /** One stored event: its position for the cursor and its envelope exactly as published. */
    public record Stored(long position, String envelope) {
    }

    private EnvelopePages() {
    }

    /** @param rows up to limit + 1 rows: the extra one says a next page exists */
    public static ResponseEntity<String> page(List<Stored> rows, int limit) {
        boolean more = rows.size() > limit;
        List<Stored> page = more ? rows.subList(0, limit) : rows;
        StringBuilder body = new StringBuilder(64 + page.stream().mapToInt(e -> e.envelope().length() + 1).sum());
        body.append("{\"items\":[");
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(page.get(i).envelope());
        }
        body.append("],\"nextCursor\":");
        body.append(more ? "\"" + Cursors.after(page.get(page.size() - 1).position()) + "\"" : "null");
        body.append('}');
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }
}
