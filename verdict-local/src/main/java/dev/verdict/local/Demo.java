package dev.verdict.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Files the motivating case through the public HTTP API, as the people involved would: the policy version with its
 * clause, the advertiser, the ads-only ban that names that clause and its evidence, the advertiser's open letter
 * filed as its appeal, and the review by a second person. Filed once: a second run sees the advertiser and leaves everything as it is.
 */
public final class Demo {

    public static final String ADVERTISER = "kaspersky-lab";
    public static final String POLICY = "ads/unacceptable-business-practices";
    public static final String POLICY_VERSION = "2018-01";
    public static final String CLAUSE = "4.2";

    static final String NOTICE = "Internal briefing note: government notice concerning the advertiser, as cited "
            + "in press statements about the ban.";

    private final StackConfig config;
    private final PrintStream out;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public Demo(StackConfig config, PrintStream out, Clock clock) {
        this.config = config;
        this.out = out;
        this.clock = clock;
    }

    /** The result of filing: the ids created, or null ids when it had been filed before. */
    public record Filed(String decisionId, String appealId, boolean alreadyFiled) {
    }

    /** Events the demo records: registration, the ban, the appeal, the review. */
    public static final int EVENTS = 4;

    public Filed file() throws IOException, InterruptedException {
        out.println("  ...  demo               filing the motivating case");
        post("moderator1", "/api/v1/policies", Map.of(
                "id", POLICY,
                "version", POLICY_VERSION,
                "title", "Ads policy: unacceptable business practices",
                "clauses", List.of(
                        Map.of("clause", "4.1", "text", "Ads must not promote products or services that are "
                                + "illegal in the territories where they are shown."),
                        Map.of("clause", CLAUSE, "text", "Ads must not come from advertisers whose business model "
                                + "inherently conflicts with acceptable ads business practices, as assessed "
                                + "against the criteria published in this policy."))), 201, 409);
        JsonNode registered = post("moderator1", "/api/v1/advertisers", Map.of(
                "advertiserId", ADVERTISER,
                "legalName", "Kaspersky Lab",
                "country", "RU",
                "accountType", "BUSINESS"), 201, 409);
        if (registered.path("status").asInt() == 409) {
            out.println("  [ok] demo               already filed earlier: " + ADVERTISER + " exists, nothing added");
            return new Filed(null, null, true);
        }
        JsonNode decision = post("moderator1", "/api/v1/advertisers/" + ADVERTISER + "/decisions", Map.ofEntries(
                Map.entry("kind", "BAN"),
                Map.entry("scope", List.of("ADVERTISING")),
                Map.entry("policy", Map.of("id", POLICY, "version", POLICY_VERSION, "clause", CLAUSE)),
                Map.entry("ground", "INCOMPATIBLE_CONTENT"),
                Map.entry("category", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"),
                Map.entry("statement", "Your account may no longer advertise. We assessed your business model "
                        + "against clause 4.2 of our ads policy (version 2018-01) and concluded that it conflicts "
                        + "with acceptable ads business practices. You can still use the platform as an organic "
                        + "user. You can appeal this decision within six months."),
                Map.entry("territorialScope", List.of("WORLDWIDE")),
                Map.entry("automatedDetection", false),
                Map.entry("automatedDecision", "NOT_AUTOMATED"),
                Map.entry("evidence", List.of(Map.of(
                        "uri", "urn:verdict:evidence:kaspersky-lab:government-notice",
                        "sha256", sha256(NOTICE),
                        "mediaType", "text/plain",
                        "description", "The government notice cited in press statements, now named to the "
                                + "advertiser with its hash."))),
                Map.entry("source", Map.of("type", "SOURCE_TYPE_OTHER_NOTIFICATION",
                        "identity", "A notice from a government authority")),
                Map.entry("effectiveFrom", clock.instant().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
                        .toString())), 201);
        String decisionId = decision.path("decisionId").asText();
        JsonNode appeal = post("kaspersky", "/api/v1/advertisers/" + ADVERTISER + "/decisions/" + decisionId
                + "/appeals", Map.of("statement", "Open letter: the rules we are said to have violated were never "
                + "named, and no evidence was shown to us. We ask you to name the rule and the evidence, and to "
                + "reverse a decision that neither supports."), 201);
        String appealId = appeal.path("appealId").asText();
        post("reviewer1", "/api/v1/advertisers/" + ADVERTISER + "/appeals/" + appealId + "/decision", Map.of(
                "outcome", "UPHELD",
                "rationale", "Reviewed by a second person. The decision names its rule (ads policy 2018-01, clause "
                        + "4.2, whose text is in the decision) and its evidence (the government notice, SHA-256 "
                        + sha256(NOTICE).substring(0, 12) + "...). The ban covers advertising only; the account "
                        + "remains an organic user."), 201);
        out.println("  [ok] demo               policy " + POLICY + " " + POLICY_VERSION + " clause " + CLAUSE
                + ", advertiser " + ADVERTISER + ", ads-only BAN " + decisionId + ", appeal " + appealId
                + " reviewed by reviewer1");
        return new Filed(decisionId, appealId, false);
    }

    /** Waits until audit-service shows at least {@code events} events of the demo advertiser; returns the count. */
    public int awaitAudited(int events, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(config.auditUrl()
                            + "/api/v1/advertisers/" + ADVERTISER + "/history"))
                    .header("Authorization", basic("auditor1")).GET().build(), HttpResponse.BodyHandlers.ofString());
            int seen = response.statusCode() == 200 ? json.readTree(response.body()).path("items").size() : 0;
            if (seen >= events || System.nanoTime() > deadline) {
                return seen;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private JsonNode post(String user, String path, Object body, int... accepted) throws IOException,
            InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(config.moderationUrl() + path))
                        .header("Authorization", basic(user))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "verdict-demo")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (int status : accepted) {
            if (response.statusCode() == status) {
                JsonNode node = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
                if (node.isObject() && !node.has("status")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("status", status);
                }
                return node;
            }
        }
        throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                + response.body());
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
