package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.ChainVerifier;
import dev.verdict.testkit.Api;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The motivating case through HTTP, as the people involved would live it: the ads-only ban names its clause and
 * evidence, more evidence is attached, the advertiser reads its statement of reasons and appeals, a second person
 * rules; suspensions end by themselves; repeated requests record nothing twice.
 */
class AppealJourneyIT extends LiveModerationService {

    private String banned(String advertiser) {
        Api.Response response = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return json(response.body()).path("decisionId").asText();
    }

    private String appeal(String user, String advertiser, String decisionId) {
        Api.Response response = api.post(user, "/api/v1/advertisers/" + advertiser + "/decisions/" + decisionId
                + "/appeals", "{\"statement\": \"No rule and no evidence were ever named.\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return json(response.body()).path("appealId").asText();
    }

    @Test
    void theMotivatingCaseIsFiledAppealedAndReviewedByASecondPerson() {
        String advertiser = "kaspersky-lab";
        if (api.get("moderator1", "/api/v1/advertisers/" + advertiser).status() == 404) {
            register(advertiser);
        }
        String decisionId = banned(advertiser);
        Api.Response evidence = api.post("moderator2", "/api/v1/advertisers/" + advertiser + "/decisions/"
                + decisionId + "/evidence", """
                {"evidence": [{"uri": "urn:evidence:letter", "sha256": "%s", "mediaType": "application/pdf",
                               "description": "the government notice"}]}""".formatted("cd".repeat(32)));
        assertThat(evidence.status()).as(evidence.body()).isEqualTo(201);

        JsonNode own = json(api.get("kaspersky", "/api/v1/advertisers/" + advertiser).body());
        JsonNode decision = own.path("decisions").findValues("decisionId").stream()
                .filter(id -> id.asText().equals(decisionId)).findFirst().map(id -> own.path("decisions"))
                .orElseThrow();
        JsonNode mine = null;
        for (JsonNode d : decision) {
            if (d.path("decisionId").asText().equals(decisionId)) {
                mine = d;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("terms").path("policy").path("clauseText").asText()).startsWith("Ads must not");
        assertThat(mine.path("terms").path("statement").asText()).isNotBlank();
        assertThat(mine.path("attachedEvidence").get(0).path("description").asText())
                .isEqualTo("the government notice");
        assertThat(mine.path("appeal").path("open").asBoolean()).isTrue();
        assertThat(mine.path("appeal").path("deadline").asText()).isNotBlank();
        assertThat(mine.has("decidedBy")).as("who decided is for staff").isFalse();
        assertThat(own.has("notes")).as("notes are internal").isFalse();

        String appealId = appeal("kaspersky", advertiser, decisionId);
        Api.Response byDecider = api.post("lead1", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId
                + "/decision", "{\"outcome\": \"UPHELD\", \"rationale\": \"self-review\"}");
        assertThat(byDecider.status()).isEqualTo(201);
        assertThat(json(byDecider.body()).path("outcome").asText()).isEqualTo("UPHELD");

        int eventsSoFar = json(byDecider.body()).path("version").asInt() + 1;
        List<JsonNode> events = publishedEnvelopes(advertiser, eventsSoFar);
        ChainVerifier chain = new ChainVerifier();
        events.forEach(chain::accept);
        assertThat(chain.complete(events.size())).isTrue();
        JsonNode ruling = events.get(events.size() - 1);
        assertThat(ruling.path("eventType").asText()).isEqualTo("AppealUpheld");
        assertThat(ruling.path("actor").path("id").asText()).isEqualTo("lead1");
        JsonNode banEvent = events.stream().filter(e -> e.path("payload").path("decisionId").asText().equals(decisionId)
                && e.path("eventType").asText().equals("AdvertiserBanned")).findFirst().orElseThrow();
        assertThat(ruling.path("correlationId").asText()).as("the ruling is correlated with the original decision")
                .isEqualTo(banEvent.path("correlationId").asText());
        assertThat(ruling.path("causationId").asText()).as("and caused by its own command")
                .isEqualTo(ruling.path("commandId").asText());
    }

    @Test
    void theModeratorWhoDecidedCannotReviewTheAppeal() {
        String advertiser = register("eyes-" + UUID.randomUUID().toString().substring(0, 8));
        Api.Response decided = api.post("lead1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""));
        String decisionId = json(decided.body()).path("decisionId").asText();
        String appealId = appeal("moderator2", advertiser, decisionId);
        long before = storedEvents();

        Api.Response ruling = api.post("lead1", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId
                + "/decision", "{\"outcome\": \"UPHELD\", \"rationale\": \"I was right\"}");

        assertThat(ruling.status()).isEqualTo(422);
        assertThat(json(ruling.body()).path("code").asText()).isEqualTo("four-eyes-violation");
        assertThat(storedEvents()).isEqualTo(before);
        assertThat(api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId + "/decision",
                "{\"outcome\": \"UPHELD\", \"rationale\": \"x\"}").status()).as("a moderator is no reviewer")
                .isEqualTo(403);
    }

    @Test
    void overturningOnAppealReinstatesTheAdvertiserAndModifyingNarrowsTheDecision() {
        String advertiser = register("rule-" + UUID.randomUUID().toString().substring(0, 8));
        String first = banned(advertiser);
        String firstAppeal = appeal("moderator1", advertiser, first);
        assertThat(api.post("reviewer1", "/api/v1/advertisers/" + advertiser + "/appeals/" + firstAppeal
                + "/decision", "{\"outcome\": \"OVERTURNED\", \"rationale\": \"no clause applies\"}").status())
                .isEqualTo(201);

        String second = banned(advertiser);
        String secondAppeal = appeal("moderator1", advertiser, second);
        Api.Response modified = api.post("reviewer1", "/api/v1/advertisers/" + advertiser + "/appeals/"
                + secondAppeal + "/decision", """
                {"outcome": "MODIFIED", "rationale": "a warning is enough",
                 "replacement": {"kind": "WARNING", "scope": ["ADVERTISING"], "territorialScope": ["WORLDWIDE"]}}""");
        assertThat(modified.status()).as(modified.body()).isEqualTo(201);
        String replacement = json(modified.body()).path("decisionId").asText();

        JsonNode view = json(api.get("moderator1", "/api/v1/advertisers/" + advertiser).body());
        List<String> statuses = new java.util.ArrayList<>();
        view.path("decisions").forEach(d -> statuses.add(d.path("status").asText()));
        assertThat(statuses).containsExactly("OVERTURNED", "REPLACED", "IN_EFFECT");
        assertThat(view.path("decisions").get(2).path("decisionId").asText()).isEqualTo(replacement);
        assertThat(view.path("decisions").get(2).path("kind").asText()).isEqualTo("WARNING");
        assertThat(view.path("decisions").get(2).path("decidedBy").asText()).isEqualTo("reviewer1");

        Api.Response again = api.post("moderator2", "/api/v1/advertisers/" + advertiser + "/decisions/" + first
                + "/reversal", "{\"reason\": \"already overturned\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(json(again.body()).path("code").asText()).isEqualTo("decision-not-in-effect");
    }

    @Test
    void aSuspensionEndsByItselfAsASystemActCorrelatedWithTheDecision() {
        String advertiser = register("susp-" + UUID.randomUUID().toString().substring(0, 8));
        Instant expiresAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        String suspension = ban("\"ADVERTISING\"").replace("\"BAN\"", "\"SUSPENSION\"")
                .replace("\"effectiveFrom\"", "\"expiresAt\": \"" + expiresAt + "\", \"effectiveFrom\"");
        Api.Response suspended = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions", suspension,
                "X-Correlation-Id", "case-susp");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(201);

        List<JsonNode> events = publishedEnvelopes(advertiser, 3);
        JsonNode expired = events.get(2);
        assertThat(expired.path("eventType").asText()).isEqualTo("SuspensionExpired");
        assertThat(expired.path("actor").path("type").asText()).isEqualTo("SYSTEM");
        assertThat(expired.path("client").isNull()).isTrue();
        assertThat(expired.path("correlationId").asText()).isEqualTo("case-susp");
        assertThat(expired.path("effectiveAt").asText()).isEqualTo(dev.verdict.contract.EventJson.formatTime(expiresAt));
        assertThat(Instant.parse(expired.path("occurredAt").asText())).isAfterOrEqualTo(expiresAt);
    }

    @Test
    void aRepeatedRequestWithTheSameKeyRecordsNothingTwiceAndAReusedKeyIsRefused() {
        String advertiser = register("idem-" + UUID.randomUUID().toString().substring(0, 8));
        String key = "key-" + UUID.randomUUID();
        String body = ban("\"ADVERTISING\"");
        Api.Response first = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions", body,
                "Idempotency-Key", key);
        long after = storedEvents();
        Api.Response repeat = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions", body,
                "Idempotency-Key", key);
        Api.Response other = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                body.replace("ADVERTISING", "ORGANIC"), "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(json(repeat.body())).isEqualTo(json(first.body()));
        assertThat(other.status()).isEqualTo(422);
        assertThat(json(other.body()).path("code").asText()).isEqualTo("idempotency-key-reused");
        assertThat(storedEvents()).isEqualTo(after);
        assertThat(publishedEnvelopes(advertiser, 2).get(1).path("idempotencyKey").asText()).isEqualTo(key);
    }

    @Test
    void theFilerWithdrawsAndTheAdvertiserReadsOnlyItself() {
        String advertiser = register("wd-" + UUID.randomUUID().toString().substring(0, 8));
        String decisionId = banned(advertiser);
        String appealId = appeal("moderator1", advertiser, decisionId);
        Api.Response notFiler = api.post("moderator2", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId
                + "/withdrawal", "{}");
        assertThat(notFiler.status()).isEqualTo(422);
        assertThat(json(notFiler.body()).path("code").asText()).isEqualTo("not-appeal-filer");
        assertThat(api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId
                + "/withdrawal", "{}").status()).isEqualTo(201);
        assertThat(api.get("kaspersky", "/api/v1/advertisers/" + advertiser).status()).isEqualTo(403);
        Api.Response note = api.post("moderator2", "/api/v1/advertisers/" + advertiser + "/notes",
                "{\"text\": \"internal\", \"decisionId\": \"" + decisionId + "\"}");
        assertThat(note.status()).as(note.body()).isEqualTo(201);
        assertThat(json(api.get("moderator1", "/api/v1/advertisers/" + advertiser).body()).path("notes").get(0)
                .path("writtenBy").asText()).isEqualTo("moderator2");
    }
}
