package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.testkit.Api;
import dev.verdict.testkit.HostileRequests;
import dev.verdict.testkit.HostileRequests.Target;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated hostile requests against every command endpoint, each a valid request broken in one way:
 * every one must be refused with a 4xx problem (401 without one), none may answer 5xx, and none may change a
 * single row or append a single event.
 */
class HostileInputIT extends LiveModerationService {

    private static final int REQUESTS = 7_000;

    @Test
    void generatedHostileRequestsAreRefusedAndChangeNothing() throws Exception {
        String advertiser = register("hostile-" + UUID.randomUUID().toString().substring(0, 8));
        Api.Response decision = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""));
        assertThat(decision.status()).as(decision.body()).isEqualTo(201);
        String decisionId = json(decision.body()).path("decisionId").asText();
        Api.Response appeal = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions/"
                + decisionId + "/appeals", "{\"statement\": \"No rule and no evidence were named.\"}");
        assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
        String appealId = json(appeal.body()).path("appealId").asText();
        String fresh = "hostile-new-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/v1/advertisers/" + advertiser;

        List<Target> targets = List.of(
                new Target("moderator1", "POST", "/api/v1/advertisers", List.of(), """
                        {"advertiserId": "%s", "legalName": "Fresh Ltd", "country": "DE", "accountType": "BUSINESS"}
                        """.formatted(fresh)),
                new Target("moderator1", "POST", base + "/decisions", List.of(advertiser),
                        ban("\"ADVERTISING\"")),
                new Target("moderator1", "POST", base + "/decisions", List.of(advertiser),
                        ban("\"ADVERTISING\"").replace("\"kind\": \"BAN\"", "\"kind\": \"SUSPENSION\"")
                                .replace("\"effectiveFrom\"",
                                        "\"expiresAt\": \"2030-01-01T00:00:00Z\", \"effectiveFrom\"")),
                new Target("reviewer1", "POST", base + "/appeals/" + appealId + "/decision",
                        List.of(advertiser, appealId), """
                        {"outcome": "MODIFIED", "rationale": "a suspension is enough",
                         "replacement": {"kind": "SUSPENSION", "scope": ["ADVERTISING"],
                                         "territorialScope": ["WORLDWIDE"], "expiresAt": "2030-01-01T00:00:00Z"}}"""),
                new Target("moderator1", "POST", "/api/v1/decisions/bulk", List.of(), """
                        {"advertiserIds": ["%s"], "decision": %s}""".formatted(advertiser, ban("\"ADVERTISING\""))),
                new Target("moderator1", "POST", base + "/decisions/" + decisionId + "/evidence",
                        List.of(advertiser, decisionId), """
                        {"evidence": [{"uri": "urn:evidence:letter", "sha256": "%s", "mediaType": "application/pdf",
                                       "description": "the notice"}]}""".formatted("cd".repeat(32))),
                new Target("moderator1", "POST", base + "/decisions/" + decisionId + "/reversal",
                        List.of(advertiser, decisionId), "{\"reason\": \"issued in error\"}"),
                new Target("reviewer1", "POST", base + "/appeals/" + appealId + "/decision",
                        List.of(advertiser, appealId), "{\"outcome\": \"UPHELD\", \"rationale\": \"the rule applies\"}"),
                new Target("moderator1", "POST", base + "/notes", List.of(advertiser), "{\"text\": \"a note\"}"),
                new Target("moderator1", "POST", "/api/v1/policies", List.of(), """
                        {"id": "ads/hostile-%s", "version": "2026-01", "title": "Hostile",
                         "clauses": [{"clause": "1.1", "text": "No hostility."}]}""".formatted(fresh)));

        Map<String, Long> before = counts();
        HostileRequests.Tally tally = HostileRequests.send("http://localhost:" + port,
                HostileRequests.of(targets, "auditor1"), REQUESTS, 4);

        java.nio.file.Files.write(java.nio.file.Path.of("target", "hostile-input-findings.txt"), tally.failures());
        assertThat(tally.sent()).isEqualTo(REQUESTS);
        assertThat(tally.failures()).as("answers other than a 4xx problem, of %s: %s", tally.sent(),
                tally.statuses()).isEmpty();
        assertThat(counts()).as("nothing stored by any of %s requests", tally.sent()).isEqualTo(before);
        System.out.printf("moderation-service: %d hostile requests, statuses %s%n", tally.sent(), tally.statuses());
    }

    private Map<String, Long> counts() {
        return Map.of(
                "events", storedEvents(),
                "advertisers", jdbc.queryForObject("SELECT count(*) FROM advertiser_view", Long.class),
                "decisions", jdbc.queryForObject("SELECT count(*) FROM decision_view", Long.class),
                "appeals", jdbc.queryForObject("SELECT count(*) FROM appeal_view WHERE status <> 'OPEN'", Long.class),
                "notes", jdbc.queryForObject("SELECT count(*) FROM note_view", Long.class),
                "policies", jdbc.queryForObject("SELECT count(*) FROM policy_version", Long.class),
                "idempotency", jdbc.queryForObject("SELECT count(*) FROM idempotency_record", Long.class));
    }
}
