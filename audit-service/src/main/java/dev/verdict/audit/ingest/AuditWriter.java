package dev.verdict.audit.ingest;

import java.sql.Timestamp;
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

    public AuditWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
                events.add(new Object[] {event.eventId(), event.advertiserId(), event.sequence(), event.eventType(),
                        event.schemaVersion(), Timestamp.from(event.occurredAt()), Timestamp.from(event.effectiveAt()),
                        event.actorId(), event.text(), record.partition(), record.offset(), event.understood(),
                        event.policyId(), event.decisionId(), event.replacementDecisionId()});
                if (!event.understood()) {
                    log.warn("stored event {} of {} verbatim: type {} version {} is not one this version of "
                            + "audit-service understands", event.eventId(), event.advertiserId(), event.eventType(),
                            event.schemaVersion());
                }
            } catch (IncomingEvent.Unreadable e) {
                unreadable.add(new Object[] {record.topic(), record.partition(), record.offset(), record.key(),
                        record.value(), e.getMessage()});
            }
        }
        int inserted = 0;
        if (!events.isEmpty()) {
            for (int count : jdbc.batchUpdate("""
                    INSERT INTO audit_event (event_id, advertiser_id, sequence, event_type, schema_version, occurred_at,
                        effective_at, actor_id, envelope, topic_partition, topic_offset, understood, policy_id,
                        decision_id, replacement_decision_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""", events)) {
                inserted += Math.max(count, 0);
            }
        }
        if (!unreadable.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO unreadable_record (topic, partition, record_offset, record_key, record_value, reason)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, partition, record_offset) DO NOTHING""", unreadable);
        }
        jdbc.batchUpdate("""
                INSERT INTO consumer_position (topic, partition, next_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_position.next_offset,
                    EXCLUDED.next_offset)""", next.entrySet().stream()
                .map(e -> new Object[] {e.getKey().topic(), e.getKey().partition(), e.getValue()}).toList());
        return inserted;
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
