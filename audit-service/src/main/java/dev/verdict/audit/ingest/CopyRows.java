package dev.verdict.audit.ingest;

import dev.verdict.servicekit.BinaryCopy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A batch of history rows in PostgreSQL's binary COPY form, for bulk loads (a replay's rebuild): each record read
 * exactly as live ingestion reads it ({@link IncomingEvent#parse}: the same checks, the same columns, the envelope
 * kept byte for byte), in arrival order. Records that are not envelopes are left out: live ingestion made them dead
 * letters when it first read them. An event seen again within the batch (a re-send) is left out too, so that the
 * first one stays, as live ingestion's {@code ON CONFLICT (event_id) DO NOTHING} keeps it; {@link #eventIds()} and
 * {@link #writeTo} let the writer leave out those stored by an earlier batch.
 *
 * <p>In the binary format ({@link BinaryCopy}), the envelope as the bytes that came in; a value the table refuses (a
 * text too long for its column, one PostgreSQL cannot hold) is refused as an {@code INSERT} of it would be.
 */
public final class CopyRows {

    /** The columns of a row, in the order {@link #add} writes them. */
    public static final String COLUMNS = "event_id, advertiser_id, sequence, event_type, schema_version, occurred_at, "
            + "effective_at, actor_id, envelope, topic_partition, topic_offset, understood, policy_id, decision_id, "
            + "replacement_decision_id";
    /** How many columns {@link #COLUMNS} names. */
    static final short FIELDS = 15;
    /** The format these rows are in, for the COPY statement. */
    public static final String FORMAT = BinaryCopy.FORMAT;

    private final BinaryCopy bytes = new BinaryCopy();
    private final List<UUID> ids = new ArrayList<>();
    private final List<Integer> ends = new ArrayList<>();
    private final List<String> positions = new ArrayList<>();
    private final Set<UUID> seen = new HashSet<>();
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
        bytes.row(FIELDS).uuid(event.eventId()).text(event.advertiserId()).int8(event.sequence())
                .text(event.eventType()).int4(event.schemaVersion())
                // IncomingEvent has rounded the times to the microsecond, as live ingestion stores them.
                .timestamptz(event.occurredAt()).timestamptz(event.effectiveAt()).text(event.actorId())
                // The record's own bytes: IncomingEvent read them as strict UTF-8, so they are the envelope's text.
                .bytes(record.value()).int4(record.partition()).int8(record.offset()).bool(event.understood())
                .text(event.policyId()).uuid(event.decisionId()).uuid(event.replacementDecisionId());
        ids.add(event.eventId());
        ends.add(bytes.size());
        positions.add(record.topic() + "-" + record.partition() + "@" + record.offset());
        rows++;
        return true;
    }

    /** The event of each row, in row order. */
    public List<UUID> eventIds() {
        return ids;
    }

    /** Writes the rows but those of {@code leaveOut} (event ids), in order, as one COPY's data. */
    public void writeTo(RowSink sink, Set<UUID> leaveOut) throws java.sql.SQLException {
        sink.write(BinaryCopy.HEADER, 0, BinaryCopy.HEADER.length);
        int runStart = 0;
        for (int row = 0; row < rows && !leaveOut.isEmpty(); row++) {
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
        sink.write(BinaryCopy.TRAILER, 0, BinaryCopy.TRAILER.length);
    }

    /** Writes row {@code row} alone, as one COPY's data. */
    public void writeRow(int row, RowSink sink) throws java.sql.SQLException {
        int start = row == 0 ? 0 : ends.get(row - 1);
        sink.write(BinaryCopy.HEADER, 0, BinaryCopy.HEADER.length);
        sink.write(bytes.array(), start, ends.get(row) - start);
        sink.write(BinaryCopy.TRAILER, 0, BinaryCopy.TRAILER.length);
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
}
