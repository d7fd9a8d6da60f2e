package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Scope;
import java.sql.Array;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link AdvertiserView} in moderation-service's database. A subscribing processor: it runs inside the
 * command's transaction, so the view and its version never lag the event store. Every write is idempotent.
 */
@Component
@ProcessingGroup(AdvertiserProjection.PROCESSING_GROUP)
public class AdvertiserProjection {

    public static final String PROCESSING_GROUP = "advertiser-view";

    private final JdbcTemplate jdbc;

    public AdvertiserProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AdvertiserRegistered event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        jdbc.update("""
                INSERT INTO advertiser_view (advertiser_id, legal_name, country, account_type, version, registered_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (advertiser_id) DO NOTHING""",
                event.advertiserId(), event.legalName(), event.country(), event.accountType().name(), sequence,
                java.sql.Timestamp.from(recordedAt));
    }

    @EventHandler
    void on(DecisionEvent event, @SequenceNumber long sequence, @Timestamp Instant recordedAt,
            DomainEventMessage<?> message) {
        DecisionTerms terms = event.terms();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("""
                    INSERT INTO decision_view (decision_id, advertiser_id, kind, scope, policy_id, policy_version,
                        clause, statement, effective_from, expires_at, recorded_at)
                    VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (decision_id) DO NOTHING""");
            Array scope = connection.createArrayOf("text", terms.scope().stream().map(Scope::name).toArray());
            statement.setString(1, event.decisionId());
            statement.setString(2, message.getAggregateIdentifier());
            statement.setString(3, event.kind().name());
            statement.setArray(4, scope);
            statement.setString(5, terms.policy().id());
            statement.setString(6, terms.policy().version());
            statement.setString(7, terms.policy().clause());
            statement.setString(8, terms.statement());
            statement.setTimestamp(9, java.sql.Timestamp.from(terms.effectiveFrom()));
            statement.setTimestamp(10, terms.expiresAt() == null ? null : java.sql.Timestamp.from(terms.expiresAt()));
            statement.setTimestamp(11, java.sql.Timestamp.from(recordedAt));
            return statement;
        });
        bumpVersion(message.getAggregateIdentifier(), sequence);
    }

    @EventHandler
    void on(AppealFiled event, @SequenceNumber long sequence, @Timestamp Instant recordedAt,
            DomainEventMessage<?> message) {
        jdbc.update("""
                INSERT INTO appeal_view (appeal_id, decision_id, advertiser_id, status, filed_at, deadline)
                VALUES (?::uuid, ?::uuid, ?, 'OPEN', ?, ?) ON CONFLICT (appeal_id) DO NOTHING""",
                event.appealId(), event.decisionId(), message.getAggregateIdentifier(),
                java.sql.Timestamp.from(recordedAt), java.sql.Timestamp.from(event.deadline()));
        bumpVersion(message.getAggregateIdentifier(), sequence);
    }

    private void bumpVersion(String advertiserId, long sequence) {
        jdbc.update("UPDATE advertiser_view SET version = GREATEST(version, ?) WHERE advertiser_id = ?", sequence,
                advertiserId);
    }

    /** The advertiser as the events so far have made it. */
    public Optional<AdvertiserView> find(String advertiserId) {
        Map<String, List<AdvertiserView.AppealSummary>> appeals = jdbc.query(
                        "SELECT * FROM appeal_view WHERE advertiser_id = ? ORDER BY filed_at",
                        (rs, n) -> Map.entry(rs.getString("decision_id"), new AdvertiserView.AppealSummary(
                                rs.getString("appeal_id"), rs.getString("status"), instant(rs.getTimestamp("filed_at")),
                                instant(rs.getTimestamp("deadline")))), advertiserId)
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        List<AdvertiserView.DecisionSummary> decisions = jdbc.query(
                "SELECT * FROM decision_view WHERE advertiser_id = ? ORDER BY recorded_at, decision_id",
                (rs, n) -> new AdvertiserView.DecisionSummary(rs.getString("decision_id"), rs.getString("kind"),
                        List.of((String[]) rs.getArray("scope").getArray()),
                        new AdvertiserView.Policy(rs.getString("policy_id"), rs.getString("policy_version"),
                                rs.getString("clause")),
                        rs.getString("statement"), instant(rs.getTimestamp("effective_from")),
                        instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("recorded_at")),
                        appeals.getOrDefault(rs.getString("decision_id"), List.of())),
                advertiserId);
        return jdbc.query("SELECT * FROM advertiser_view WHERE advertiser_id = ?",
                (rs, n) -> new AdvertiserView(rs.getString("advertiser_id"), rs.getString("legal_name"),
                        rs.getString("country"),
                        AccountType.valueOf(rs.getString("account_type")),
                        rs.getLong("version"), instant(rs.getTimestamp("registered_at")), decisions),
                advertiserId).stream().findFirst();
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
