package dev.verdict.local.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.contract.ChainVerifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Compares what was promised (the 2xx answers), what is true (the event store) and what the auditors see (the audit
 * history), and counts every way they could disagree.
 */
final class Ledger {

    /** The disagreements; all zero when nothing was lost, duplicated, reordered or broken. */
    record Findings(long storeEvents, long auditEvents, long acceptedMissing, long storeMissing, long phantoms,
                    long duplicates, long orderViolations, long brokenChains, long advertisers) {

        long lost() {
            return acceptedMissing + storeMissing;
        }

        boolean clean() {
            return lost() == 0 && phantoms == 0 && duplicates == 0 && orderViolations == 0 && brokenChains == 0;
        }
    }

    private static final ObjectMapper JSON = dev.verdict.contract.EventJson.mapper();

    private final String moderationUrl;
    private final String auditUrl;
    private final String user;
    private final String password;

    Ledger(String moderationJdbcUrl, String auditJdbcUrl, String user, String password) {
        this.moderationUrl = moderationJdbcUrl;
        this.auditUrl = auditJdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** Waits until the audit history holds as many events as the store (or the deadline passes); returns the wait. */
    Duration awaitCaughtUp(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                long store = count(moderationUrl, "SELECT count(*) FROM domain_event_entry");
                long audit = count(auditUrl, "SELECT count(*) FROM audit_event");
                if (audit >= store) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (SQLException e) {
                // a database is still recovering
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    Findings check(List<LoadDriver.Accepted> accepted) throws SQLException {
        Map<String, String> store = new HashMap<>(); // event id -> advertiser/sequence
        try (Connection connection = DriverManager.getConnection(moderationUrl, user, password);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT event_identifier, aggregate_identifier, sequence_number FROM domain_event_entry")) {
            while (rows.next()) {
                store.put(rows.getString(1), rows.getString(2) + "#" + rows.getLong(3));
            }
        }
        Set<String> auditIds = new HashSet<>();
        Map<String, Long> commandMaxSequence = new HashMap<>();
        Map<String, List<JsonNode>> byAdvertiser = new HashMap<>();
        Map<String, Integer> perPosition = new HashMap<>();
        long auditEvents = 0;
        try (Connection connection = DriverManager.getConnection(auditUrl, user, password)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(2000);
                try (ResultSet rows = statement.executeQuery(
                        "SELECT event_id, advertiser_id, sequence, envelope FROM audit_event ORDER BY audit_seq")) {
                    while (rows.next()) {
                        auditEvents++;
                        String eventId = rows.getString(1);
                        String advertiser = rows.getString(2);
                        long sequence = rows.getLong(3);
                        auditIds.add(eventId);
                        perPosition.merge(advertiser + "#" + sequence, 1, Integer::sum);
                        JsonNode envelope = JSON.readTree(rows.getString(4));
                        byAdvertiser.computeIfAbsent(advertiser, k -> new ArrayList<>()).add(envelope);
                        String command = envelope.path("commandId").asText(null);
                        if (command != null) {
                            commandMaxSequence.merge(advertiser + "/" + command, sequence, Math::max);
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("an envelope in the audit history is not JSON", e);
            }
            connection.commit();
        }
        long acceptedMissing = accepted.stream().filter(a -> {
            Long sequence = commandMaxSequence.get(a.advertiserId() + "/" + a.commandId());
            return sequence == null || sequence != a.version();
        }).count();
        long storeMissing = store.keySet().stream().filter(id -> !auditIds.contains(id)).count();
        long phantoms = auditIds.stream().filter(id -> !store.containsKey(id)).count();
        long duplicates = perPosition.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        long orderViolations = 0;
        long brokenChains = 0;
        for (List<JsonNode> events : byAdvertiser.values()) {
            // Arrival order (audit_seq) must be the advertiser's own order, without a hole.
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).path("sequence").asLong() != i) {
                    orderViolations++;
                    break;
                }
            }
            ChainVerifier chain = new ChainVerifier();
            events.stream().sorted(java.util.Comparator.comparingLong(e -> e.path("sequence").asLong()))
                    .forEach(chain::accept);
            if (!chain.valid()) {
                brokenChains++;
            }
        }
        return new Findings(store.size(), auditEvents, acceptedMissing, storeMissing, phantoms, duplicates,
                orderViolations, brokenChains, byAdvertiser.size());
    }

    private long count(String url, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
