package dev.verdict.moderation.advertiser;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.EvidenceAttached;
import dev.verdict.contract.events.NoteAdded;
import dev.verdict.contract.events.SuspensionExpired;
import dev.verdict.moderation.provenance.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link AdvertiserView} in moderation-service's database. A subscribing processor: it runs inside the
 * command's transaction, so the view and its version never lag the event store.
 */
@Component
@ProcessingGroup(AdvertiserProjection.PROCESSING_GROUP)
public class AdvertiserProjection {

    public static final String PROCESSING_GROUP = "advertiser-view";
    private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final AppealWindow window;
    private final Clock clock;

    public AdvertiserProjection(JdbcTemplate jdbc, AppealWindow window, Clock clock) {
        this.jdbc = jdbc;
        this.window = window;
        this.clock = clock;
    }

    @EventHandler
    void on(AdvertiserRegistered event, DomainEventMessage<?> message) {
        jdbc.update("""
                INSERT INTO advertiser_view (advertiser_id, legal_name, country, account_type, version, registered_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (advertiser_id) DO NOTHING""",
                event.advertiserId(), event.legalName(), event.country(), event.accountType().name(),
                message.getSequenceNumber(), java.sql.Timestamp.from(message.getTimestamp()));
    }

    @EventHandler
    void on(DecisionEvent event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        insertDecision(message, event.decisionId(), event.kind(), event.terms(), actor);
        bumpVersion(message);
    }

    private void insertDecision(DomainEventMessage<?> message, String decisionId, DecisionKind kind,
                                DecisionTerms terms, String actor) {
        String advertiserId = message.getAggregateIdentifier();
        Instant recordedAt = message.getTimestamp();
        Object correlation = message.getMetaData().get(Provenance.CORRELATION_ID);
        jdbc.update("""
                INSERT INTO decision_view (decision_id, advertiser_id, kind, recorded_at, terms, decided_by,
                    appeal_deadline, correlation_id)
                VALUES (?::uuid, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT (decision_id) DO NOTHING""",
                decisionId, advertiserId, kind.name(), java.sql.Timestamp.from(recordedAt), EventJson.write(terms),
                actor, java.sql.Timestamp.from(window.closesAt(terms.effectiveFrom())),
                correlation == null ? null : correlation.toString());
    }

    @EventHandler
    void on(EvidenceAttached event, DomainEventMessage<?> message) {
        jdbc.update("UPDATE decision_view SET extra_evidence = extra_evidence || ?::jsonb WHERE decision_id = ?::uuid",
                EventJson.write(event.evidence()), event.decisionId());
        bumpVersion(message);
    }

    @EventHandler
    void on(DecisionReversed event, DomainEventMessage<?> message) {
        endDecision(event.decisionId(), "REVERSED", message.getTimestamp(), event.reason());
        bumpVersion(message);
    }

    @EventHandler
    void on(SuspensionExpired event, DomainEventMessage<?> message) {
        endDecision(event.decisionId(), "EXPIRED", event.expiredAt(), "the suspension ended at its expiry");
        bumpVersion(message);
    }

    @EventHandler
    void on(AppealFiled event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        jdbc.update("""
                INSERT INTO appeal_view (appeal_id, decision_id, advertiser_id, status, filed_at, deadline, statement,
                    filed_by)
                VALUES (?::uuid, ?::uuid, ?, 'OPEN', ?, ?, ?, ?) ON CONFLICT (appeal_id) DO NOTHING""",
                event.appealId(), event.decisionId(), message.getAggregateIdentifier(),
                java.sql.Timestamp.from(message.getTimestamp()), java.sql.Timestamp.from(event.deadline()),
                event.statement(), actor);
        bumpVersion(message);
    }

    @EventHandler
    void on(AppealWithdrawn event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        closeAppeal(event.appealId(), "WITHDRAWN", null, actor, message.getTimestamp());
        bumpVersion(message);
    }

    @EventHandler
    void on(AppealUpheld event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        closeAppeal(event.appealId(), "UPHELD", event.rationale(), actor, message.getTimestamp());
        bumpVersion(message);
    }

    @EventHandler
    void on(AppealOverturned event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        closeAppeal(event.appealId(), "OVERTURNED", event.rationale(), actor, message.getTimestamp());
        endDecision(event.decisionId(), "OVERTURNED", message.getTimestamp(), event.rationale());
        bumpVersion(message);
    }

    @EventHandler
    void on(AppealModified event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        closeAppeal(event.appealId(), "MODIFIED", event.rationale(), actor, message.getTimestamp());
        endDecision(event.decisionId(), "REPLACED", message.getTimestamp(),
                "replaced on appeal by decision " + event.replacementDecisionId());
        insertDecision(message, event.replacementDecisionId(), event.replacementKind(), event.replacementTerms(),
                actor);
        bumpVersion(message);
    }

    @EventHandler
    void on(NoteAdded event, DomainEventMessage<?> message, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        jdbc.update("""
                INSERT INTO note_view (note_id, advertiser_id, decision_id, text, written_by, written_at)
                VALUES (?::uuid, ?, ?::uuid, ?, ?, ?) ON CONFLICT (note_id) DO NOTHING""",
                event.noteId(), message.getAggregateIdentifier(), event.decisionId(), event.text(), actor,
                java.sql.Timestamp.from(message.getTimestamp()));
        bumpVersion(message);
    }

    /** A decision that ends takes its open appeal with it (as the aggregate does). */
    private void endDecision(String decisionId, String status, Instant endedAt, String reason) {
        jdbc.update("UPDATE decision_view SET status = ?, ended_at = ?, end_reason = ? WHERE decision_id = ?::uuid",
                status, java.sql.Timestamp.from(endedAt), reason, decisionId);
        jdbc.update("UPDATE appeal_view SET status = 'MOOT' WHERE decision_id = ?::uuid AND status = 'OPEN'",
                decisionId);
    }

    private void closeAppeal(String appealId, String status, String rationale, String actor, Instant at) {
        jdbc.update("""
                UPDATE appeal_view SET status = ?, rationale = ?, decided_by = ?, decided_at = ?
                WHERE appeal_id = ?::uuid""", status, rationale, actor, java.sql.Timestamp.from(at), appealId);
    }

    private void bumpVersion(DomainEventMessage<?> message) {
        jdbc.update("UPDATE advertiser_view SET version = GREATEST(version, ?) WHERE advertiser_id = ?",
                message.getSequenceNumber(), message.getAggregateIdentifier());
    }

    /** The correlation id of the command that took a decision, if the decision is known. */
    public Optional<String> correlationOfDecision(String decisionId) {
        return jdbc.query("SELECT correlation_id FROM decision_view WHERE decision_id = ?::uuid",
                (rs, n) -> rs.getString(1), decisionId).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** The correlation id of the decision an appeal is against, if the appeal is known. */
    public Optional<String> correlationOfAppeal(String appealId) {
        return jdbc.query("""
                SELECT d.correlation_id FROM appeal_view a JOIN decision_view d ON d.decision_id = a.decision_id
                WHERE a.appeal_id = ?::uuid""", (rs, n) -> rs.getString(1), appealId).stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    /** The advertiser as the events so far have made it, for staff. */
    public Optional<AdvertiserView> find(String advertiserId) {
        Map<String, List<AdvertiserView.AppealSummary>> appeals = jdbc.query(
                        "SELECT * FROM appeal_view WHERE advertiser_id = ? ORDER BY filed_at",
                        (rs, n) -> Map.entry(rs.getString("decision_id"), new AdvertiserView.AppealSummary(
                                rs.getString("appeal_id"), rs.getString("status"), rs.getString("statement"),
                                instant(rs, "filed_at"), rs.getString("filed_by"), rs.getString("rationale"),
                                rs.getString("decided_by"), instant(rs, "decided_at"))), advertiserId)
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Instant now = clock.instant();
        List<AdvertiserView.DecisionDetail> decisions = jdbc.query(
                "SELECT * FROM decision_view WHERE advertiser_id = ? ORDER BY recorded_at, decision_id",
                (rs, n) -> decision(rs, appeals.getOrDefault(rs.getString("decision_id"), List.of()), now),
                advertiserId);
        List<AdvertiserView.Note> notes = jdbc.query(
                "SELECT * FROM note_view WHERE advertiser_id = ? ORDER BY written_at",
                (rs, n) -> new AdvertiserView.Note(rs.getString("note_id"), rs.getString("decision_id"),
                        rs.getString("text"), rs.getString("written_by"), instant(rs, "written_at")), advertiserId);
        return jdbc.query("SELECT * FROM advertiser_view WHERE advertiser_id = ?",
                (rs, n) -> new AdvertiserView(rs.getString("advertiser_id"), rs.getString("legal_name"),
                        rs.getString("country"), AccountType.valueOf(rs.getString("account_type")),
                        rs.getLong("version"), instant(rs, "registered_at"), decisions, notes),
                advertiserId).stream().findFirst();
    }

    private static AdvertiserView.DecisionDetail decision(ResultSet rs, List<AdvertiserView.AppealSummary> appeals,
                                                          Instant now) throws SQLException {
        try {
            String status = rs.getString("status");
            Instant deadline = instant(rs, "appeal_deadline");
            boolean openAppeal = appeals.stream().anyMatch(a -> a.status().equals("OPEN"));
            boolean ruled = appeals.stream().anyMatch(a -> a.status().equals("UPHELD"));
            boolean canAppeal = status.equals("IN_EFFECT") && !openAppeal && !ruled && deadline != null
                    && !now.isAfter(deadline);
            String how = canAppeal ? "POST /api/v1/advertisers/" + rs.getString("advertiser_id") + "/decisions/"
                    + rs.getString("decision_id") + "/appeals with a statement, before the deadline"
                    : !status.equals("IN_EFFECT") ? "the decision is no longer in effect"
                    : openAppeal ? "an appeal is open" : ruled ? "the appeal was ruled on"
                    : "the appeal window has closed";
            return new AdvertiserView.DecisionDetail(rs.getString("decision_id"), rs.getString("kind"), status,
                    EventJson.mapper().readValue(rs.getString("terms"), DecisionTerms.class),
                    EventJson.mapper().readValue(rs.getString("extra_evidence"), EVIDENCE),
                    instant(rs, "recorded_at"), rs.getString("decided_by"), instant(rs, "ended_at"),
                    rs.getString("end_reason"), new AdvertiserView.AppealOptions(canAppeal, deadline, how), appeals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
