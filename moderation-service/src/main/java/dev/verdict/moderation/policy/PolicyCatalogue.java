package dev.verdict.moderation.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.PolicyReference;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The policy catalogue in moderation-service's database. Versions are inserted, never updated, so a version once
 * found is kept in memory: every decision cites one, and reading it again would cost each command a round trip.
 * Only versions that exist are remembered (one registered later, or by another instance, is read when first cited),
 * so the map holds at most the catalogue.
 */
@Repository
public class PolicyCatalogue {

    private static final TypeReference<List<PolicyRegistration.Clause>> CLAUSES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final Map<Key, PolicyVersion> found = new ConcurrentHashMap<>();

    private record Key(String id, String version) {
    }

    public PolicyCatalogue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers a version; false when that id and version already exist (they are never replaced). */
    public boolean register(PolicyRegistration registration, String registeredBy, Instant registeredAt) {
        return jdbc.update("""
                INSERT INTO policy_version (policy_id, version, title, clauses, registered_at, registered_by)
                VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING""",
                registration.id(), registration.version(), registration.title(),
                EventJson.write(registration.clauses()), Timestamp.from(registeredAt), registeredBy) == 1;
    }

    public Optional<PolicyVersion> find(String id, String version) {
        Key key = new Key(id, version);
        PolicyVersion known = found.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<PolicyVersion> read = jdbc.query("SELECT * FROM policy_version WHERE policy_id = ? AND version = ?",
                PolicyCatalogue::row, id, version).stream().findFirst();
        read.ifPresent(policy -> found.put(key, policy));
        return read;
    }

    public List<PolicyVersion> all() {
        return jdbc.query("SELECT * FROM policy_version ORDER BY policy_id, registered_at, version",
                PolicyCatalogue::row);
    }

    /** The citation of one clause, with its text as this version has it. */
    public Optional<PolicyReference> cite(String id, String version, String clause) {
        return find(id, version).flatMap(policy -> policy.clauses().stream()
                .filter(c -> c.clause().equals(clause))
                .findFirst()
                .map(c -> new PolicyReference(id, version, clause, c.text())));
    }

    private static PolicyVersion row(ResultSet rs, int rowNum) throws SQLException {
        try {
            return new PolicyVersion(rs.getString("policy_id"), rs.getString("version"), rs.getString("title"),
                    EventJson.mapper().readValue(rs.getString("clauses"), CLAUSES),
                    rs.getTimestamp("registered_at").toInstant(), rs.getString("registered_by"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
