package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.verdict.contract.EventJson;
import dev.verdict.testkit.RealServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outside the local profile the service is an OAuth2 resource server: real RS256-signed tokens, roles and the
 * advertiser binding from claims, the actor of every event taken from the token's subject.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtAuthenticationIT {

    private static final KeyPair ISSUER = rsa();
    private static final KeyPair STRANGER = rsa();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws IOException {
        RealServers.registerDataSource("moderation_jwt", registry::add);
        registry.add("verdict.publishing.bootstrap-servers", RealServers::kafkaBootstrapServers);
        Path key = Files.createTempFile("issuer", ".pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + key);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(KeyPair key, String subject, List<String> roles, String advertiserId,
                                Instant expiresAt) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).issuer("https://idp.example")
                    .issueTime(new Date()).expirationTime(Date.from(expiresAt)).claim("roles", roles);
            if (advertiserId != null) {
                claims.claim("advertiser_id", advertiserId);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
            jwt.sign(new RSASSASigner(key.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(String subject, List<String> roles, String advertiserId) {
        return token(ISSUER, subject, roles, advertiserId, Instant.now().plusSeconds(300));
    }

    private HttpResponse<String> call(String method, String path, String bearer, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            request.header("Authorization", bearer.startsWith("Basic ") ? bearer : "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String registration(String advertiserId) {
        return "{\"advertiserId\": \"" + advertiserId + "\", \"legalName\": \"JWT Ltd\", \"country\": \"SE\","
                + " \"accountType\": \"BUSINESS\"}";
    }

    @Test
    void aValidTokenActsAsItsSubjectWithItsRoles() throws Exception {
        String advertiser = "jwt-" + UUID.randomUUID().toString().substring(0, 8);
        var created = call("POST", "/api/v1/advertisers", token("alice@idp", List.of("MODERATOR"), null),
                registration(advertiser));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String metadata = jdbc.queryForObject("SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", String.class, advertiser);
        var meta = EventJson.mapper().readTree(metadata);
        assertThat(meta.path("actorId").asText()).isEqualTo("alice@idp");
        assertThat(meta.path("actorRoles").toString()).isEqualTo("[\"MODERATOR\"]");
    }

    @Test
    void theAdvertiserBindingComesFromTheToken() {
        String advertiser = "bound-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("POST", "/api/v1/advertisers", token("alice@idp", List.of("MODERATOR"), null),
                registration(advertiser)).statusCode()).isEqualTo(201);

        assertThat(call("GET", "/api/v1/advertisers/" + advertiser,
                token("owner@idp", List.of("ADVERTISER"), advertiser), null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/advertisers/" + advertiser,
                token("other@idp", List.of("ADVERTISER"), "someone-else"), null).statusCode()).isEqualTo(403);
    }

    @Test
    void forgedExpiredRoleLessAndLocalCredentialsAreRefused() {
        String body = registration("never-" + UUID.randomUUID().toString().substring(0, 8));
        long before = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);

        var forged = call("POST", "/api/v1/advertisers",
                token(STRANGER, "mallory", List.of("MODERATOR"), null, Instant.now().plusSeconds(300)), body);
        var expired = call("POST", "/api/v1/advertisers",
                token(ISSUER, "alice@idp", List.of("MODERATOR"), null, Instant.now().minusSeconds(600)), body);
        var noRoles = call("POST", "/api/v1/advertisers", token("bob@idp", List.of(), null), body);
        var basic = call("POST", "/api/v1/advertisers", "Basic " + Base64.getEncoder()
                .encodeToString("moderator1:moderator1".getBytes()), body);
        var garbage = call("POST", "/api/v1/advertisers", "not.a.jwt", body);

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(noRoles.statusCode()).isEqualTo(403);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(before);
    }

    /**
     * A validly signed token whose subject Verdict cannot record as the actor (missing, blank, longer than the 128
     * characters the read models keep, or with control characters) is refused as a credential: 401, nothing recorded,
     * where it used to reach the database and fail there.
     */
    @Test
    void aTokenWhoseSubjectCannotBeRecordedIsRefused() {
        long before = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        long policies = jdbc.queryForObject("SELECT count(*) FROM policy_version", Long.class);
        java.util.Map<String, String> subjects = new java.util.LinkedHashMap<>();
        subjects.put("none", null);
        subjects.put("blank", " ");
        subjects.put("129 characters", "a".repeat(129));
        subjects.put("a control character", "alice\u0007@idp");
        java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
        subjects.forEach((what, subject) -> {
            String policy = """
                    {"id": "ads/jwt-%s", "version": "2026-01", "title": "JWT",
                     "clauses": [{"clause": "1.1", "text": "No hostility."}]}""".formatted(UUID.randomUUID());
            var answer = call("POST", "/api/v1/policies", token(subject, List.of("MODERATOR"), null), policy);
            answers.put(what, answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse(""));
        });
        assertThat(answers).as("status and type of each answer").allSatisfy((what, answer) ->
                assertThat(answer).as(what).startsWith("401 application/problem+json"));
        var longest = call("POST", "/api/v1/policies", token("a".repeat(128), List.of("MODERATOR"), null), """
                {"id": "ads/jwt-%s", "version": "2026-01", "title": "JWT",
                 "clauses": [{"clause": "1.1", "text": "No hostility."}]}""".formatted(UUID.randomUUID()));
        assertThat(longest.statusCode()).as(longest.body()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM policy_version", Long.class)).isEqualTo(policies + 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(before);
    }
}
