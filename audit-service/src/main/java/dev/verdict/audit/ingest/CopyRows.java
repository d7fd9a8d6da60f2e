package dev.verdict.audit.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A batch of history rows in PostgreSQL's COPY CSV form, for bulk loads (a replay's rebuild): each record read
 * exactly as live ingestion reads it ({@link IncomingEvent#parse}: the same checks, the same columns, the envelope
 * kept byte for byte), in arrival order. Records that are not envelopes are left out: live ingestion made them dead
 * letters when it first read them. An event seen again within the batch (a re-send) is left out too, so that the
 * first one stays, as live ingestion's {@code ON CONFLICT (event_id) DO NOTHING} keeps it; {@link #eventIds()} and
 * {@link #writeTo} let the writer leave out those stored by an earlier batch.
 */
public final class CopyRows {

    /** The columns of a row, in the order {@link #add} writes them (after {@code ord}). */
    public static final String COLUMNS = "event_id, advertiser_id, sequence, event_type, schema_version, occurred_at, "
            + "effective_at, actor_id, envelope, topic_partition, topic_offset, understood, policy_id, decision_id, "
            + "replacement_decision_id";

    private final Buffer bytes = new Buffer();
    private final StringBuilder line = new StringBuilder(4096);
    private final java.util.List<UUID> ids = new java.util.ArrayList<>();
    private final java.util.List<Integer> ends = new java.util.ArrayList<>();
    private final java.util.List<String> positions = new java.util.ArrayList<>();
    private final java.util.Set<UUID> seen = new java.util.HashSet<>();
    private int rows;
    private int skipped;

    /** Adds a record as a row; returns false (and adds nothing) when it is not an envelope or a repeat. */
    public boolean add(ConsumerRecord<String, byte[]> record) {
        IncomingEvent event;
        try {
            event = IncomingEvent.parse(record.value());
        } catch (IncomingEvent.Unreadable e) {
            skipped++;
            return false;
        }
        if (!seen.add(event.eventId())) {
            return false;
        }
        line.setLength(0);
        uuid(event.eventId()).append(',');
        text(event.advertiserId()).append(',');
        line.append(event.sequence()).append(',');
        text(event.eventType()).append(',');
        line.append(event.schemaVersion()).append(',');
        line.append(event.occurredAt()).append(',');
        line.append(event.effectiveAt()).append(',');
        text(event.actorId()).append(',');
        text(event.text()).append(',');
        line.append(record.partition()).append(',');
        line.append(record.offset()).append(',');
        line.append(event.understood() ? 't' : 'f').append(',');
        text(event.policyId()).append(',');
        uuid(event.decisionId()).append(',');
        uuid(event.replacementDecisionId()).append('\n');
        bytes.writeUtf8(line);
        ids.add(event.eventId());
        ends.add(bytes.size());
        positions.add(record.topic() + "-" + record.partition() + "@" + record.offset());
        rows++;
        return true;
    }

    /** The event of each row, in row order. */
    public java.util.List<UUID> eventIds() {
        return ids;
    }

    /** Writes every row but those of {@code leaveOut} (event ids), in order, as one or more contiguous runs. */
    public void writeTo(RowSink sink, java.util.Set<UUID> leaveOut) throws java.sql.SQLException {
        if (leaveOut.isEmpty()) {
            sink.write(bytes.array(), 0, bytes.size());
            return;
        }
        int runStart = 0;
        for (int row = 0; row < rows; row++) {
            int start = row == 0 ? 0 : ends.get(row - 1);
            if (leaveOut.contains(ids.get(row))) {
                if (start > runStart) {
                    sink.write(bytes.array(), runStart, start - runStart);
                }
                runStart = ends.get(row);
            }
        }
        if (bytes.size() > runStart) {
            sink.write(bytes.array(), runStart, bytes.size() - runStart);
        }
    }

    /** Writes row {@code row} alone. */
    public void writeRow(int row, RowSink sink) throws java.sql.SQLException {
        int start = row == 0 ? 0 : ends.get(row - 1);
        sink.write(bytes.array(), start, ends.get(row) - start);
    }

    /** Where row {@code row} was read: topic-partition@offset. */
    public String position(int row) {
        return positions.get(row);
    }

    /** Where rows go: a COPY in progress. */
    public interface RowSink {
        void write(byte[] bytes, int offset, int length) throws java.sql.SQLException;
    }

    public int rows() {
        return rows;
    }

    /** Records left out because they are not envelopes. */
    public int skipped() {
        return skipped;
    }

    /** A quoted CSV value (quotes doubled), or nothing for null: unquoted empty is NULL in COPY's CSV form. */
    private StringBuilder text(String value) {
        if (value == null) {
            return line;
        }
        line.append('"');
        int from = 0;
        for (int quote = value.indexOf('"'); quote >= 0; quote = value.indexOf('"', from)) {
            line.append(value, from, quote + 1).append('"');
            from = quote + 1;
        }
        return line.append(value, from, value.length()).append('"');
    }

    private StringBuilder uuid(UUID value) {
        return value == null ? line : line.append(value);
    }

    /** A byte buffer that exposes its array, so COPY can send it without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1 << 20);
        }

        byte[] array() {
            return buf;
        }

        void writeUtf8(CharSequence chars) {
            byte[] encoded = chars.toString().getBytes(StandardCharsets.UTF_8);
            write(encoded, 0, encoded.length);
        }
    }
}
