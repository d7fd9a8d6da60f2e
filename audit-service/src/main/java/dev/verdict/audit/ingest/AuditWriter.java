package dev.verdict.audit.ingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes one polled batch in one transaction: the events (idempotent on eventId), the unreadable records, and the
 * next offset of every partition the batch touched. Either all of it is stored or none of it.
 */
@Component
public class AuditWriter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuditWriter.class);

    private final JdbcTemplate jdbc;
    private final DeadLetters deadLetters;

    public AuditWriter(JdbcTemplate jdbc, DeadLetters deadLetters) {
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
    }

    /** @return how many events were new (the rest had been stored before) */
    @Transactional
    public int write(List<ConsumerRecord<String, byte[]>> records) {
        List<Object[]> events = new ArrayList<>();
        List<Object[]> unreadable = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
            try {
                IncomingEvent event = IncomingEvent.parse(record.value());
                events.add(row(event, record));
                try (var context = LogContext.of(event)) {
                    log.debug("{} #{} of {} from {}-{}@{}", event.eventType(), event.sequence(), event.advertiserId(),
                            record.topic(), record.partition(), record.offset());
                    if (!event.understood()) {
                        log.warn("stored event {} of {} verbatim: type {} version {} is not one this version of "
                                + "audit-service understands", event.eventId(), event.advertiserId(),
                                event.eventType(), event.schemaVersion());
                    }
                }
            } catch (IncomingEvent.Unreadable e) {
                deadLetters.send(record, e.getMessage());
                unreadable.add(new Object[] {record.topic(), record.partition(), record.offset(), record.key(),
                        record.value(), e.getMessage()});
            }
        }
        int inserted = events.isEmpty() ? 0 : insertEvents(events);
        if (!unreadable.isEmpty()) {
            insertDeadLetters(unreadable);
        }
        advance(next);
        return inserted;
    }

    private static Object[] row(IncomingEvent event, ConsumerRecord<String, byte[]> record) {
        return new Object[] {event.eventId(), event.advertiserId(), event.sequence(), event.eventType(),
                event.schemaVersion(), utc(event.occurredAt()), utc(event.effectiveAt()),
                event.actorId(), event.text(), record.partition(), record.offset(), event.understood(),
                event.policyId(), event.decisionId(), event.replacementDecisionId()};
    }

    /**
     * A time as PgJDBC sends it exactly: an {@code OffsetDateTime} is written in the proleptic Gregorian calendar, as
     * PostgreSQL reads it, where a {@code java.sql.Timestamp} before 1582-10-15 would be shifted by days.
     */
    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private int insertEvents(List<Object[]> events) {
        return insertEvents("audit_event", events);
    }

    private int insertEvents(String table, List<Object[]> events) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        int inserted = 0;
        for (int count : jdbc.batchUpdate("INSERT INTO " + table + """
                 (event_id, advertiser_id, sequence, event_type, schema_version, occurred_at,
                    effective_at, actor_id, envelope, topic_partition, topic_offset, understood, policy_id,
                    decision_id, replacement_decision_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""", events)) {
            inserted += Math.max(count, 0);
        }
        return inserted;
    }

    /**
     * A record that could be read but not stored (its projection failed, for example a value the table refuses):
     * sent to the dead-letter topic and kept with the reason, and the consumer moves past it.
     */
    @Transactional
    public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLetters.send(record, reason);
        List<Object[]> row = new ArrayList<>();
        row.add(new Object[] {record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                reason});
        insertDeadLetters(row);
        advance(Map.of(new TopicPartition(record.topic(), record.partition()), record.offset() + 1));
    }

    private void insertDeadLetters(List<Object[]> rows) {
        jdbc.batchUpdate("""
                INSERT INTO unreadable_record (topic, partition, record_offset, record_key, record_value, reason)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, partition, record_offset) DO NOTHING""", rows);
    }

    private void advance(Map<TopicPartition, Long> next) {
        jdbc.batchUpdate("""
                INSERT INTO consumer_position (topic, partition, next_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_position.next_offset,
                    EXCLUDED.next_offset)""", next.entrySet().stream()
                .map(e -> new Object[] {e.getKey().topic(), e.getKey().partition(), e.getValue()}).toList());
    }

    /** A dead letter's retry found it still unreadable. */
    public static final class StillUnreadable extends RuntimeException {
        StillUnreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Stores a dead letter's record as an event, as if it had just arrived (the consumer's position is not touched:
     * the record was passed long ago). @return false when it had been stored before
     */
    @Transactional
    public boolean retry(ConsumerRecord<String, byte[]> record) {
        try {
            IncomingEvent event = IncomingEvent.parse(record.value());
            return insertEvents(List.<Object[]>of(row(event, record))) == 1;
        } catch (IncomingEvent.Unreadable e) {
            throw new StillUnreadable(e.getMessage());
        }
    }

    /** The stored next offset of each given partition that has one. */
    public Map<TopicPartition, Long> positions(String topic) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        jdbc.query("SELECT partition, next_offset FROM consumer_position WHERE topic = ?", rs -> {
            positions.put(new TopicPartition(topic, rs.getInt(1)), rs.getLong(2));
        }, topic);
        return positions;
    }
}
