package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.testkit.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint, every local user, the advertiser account on its own and on another advertiser: allowed or 403,
 * and never 401 for a valid user. Requests carry an empty body, so an allowed call stops at validation (400) or at a
 * missing thing (404) and records nothing; a refused call must be refused before its body is read.
 */
class AuthorizationTableIT extends LiveModerationService {

    private static final String OWN = "kaspersky-lab";
    private static final String OTHER = "someone-else";
    private static final String ID = "8ea31715-bbd8-4835-840a-46ab073e5616";

    /** User and the roles it has (PRODUCT.md's local users). */
    private static final Map<String, Set<String>> USERS = Map.of(
            "moderator1", Set.of("MODERATOR"),
            "lead1", Set.of("MODERATOR", "APPEAL_REVIEWER"),
            "reviewer1", Set.of("APPEAL_REVIEWER"),
            "auditor1", Set.of("AUDITOR"),
            "admin1", Set.of("ADMIN"),
            "kaspersky", Set.of("ADVERTISER"));

    /** method, path (with {adv} for the advertiser), roles allowed, whether its own advertiser account is allowed. */
    private record Endpoint(String method, String path, Set<String> roles, boolean owner) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/policies", Set.of("MODERATOR", "ADMIN"), false),
            new Endpoint("GET", "/api/v1/policies", Set.of("MODERATOR", "APPEAL_REVIEWER", "AUDITOR", "ADMIN",
                    "ADVERTISER"), true),
            new Endpoint("POST", "/api/v1/advertisers", Set.of("MODERATOR"), false),
            new Endpoint("GET", "/api/v1/advertisers/{adv}", Set.of("MODERATOR", "APPEAL_REVIEWER", "ADMIN"), true),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/decisions", Set.of("MODERATOR"), false),
            new Endpoint("POST", "/api/v1/decisions/bulk", Set.of("MODERATOR"), false),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/decisions/" + ID + "/evidence", Set.of("MODERATOR"), false),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/decisions/" + ID + "/reversal", Set.of("MODERATOR"), false),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/notes", Set.of("MODERATOR"), false),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/decisions/" + ID + "/appeals", Set.of("MODERATOR"), true),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/appeals/" + ID + "/withdrawal", Set.of("MODERATOR"), true),
            new Endpoint("POST", "/api/v1/advertisers/{adv}/appeals/" + ID + "/decision", Set.of("APPEAL_REVIEWER"),
                    false));

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (var user : USERS.entrySet()) {
                for (String advertiser : user.getKey().equals("kaspersky") ? List.of(OWN, OTHER) : List.of(OWN)) {
                    boolean allowed = user.getValue().stream().anyMatch(endpoint.roles()::contains)
                            || (user.getValue().contains("ADVERTISER") && endpoint.owner()
                            && (advertiser.equals(OWN) || !endpoint.path().contains("{adv}")));
                    rows.add(Arguments.of(endpoint.method(), endpoint.path().replace("{adv}", advertiser),
                            user.getKey(), allowed));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{2} {0} {1} -> {3}")
    @MethodSource("table")
    void eachRoleReachesExactlyTheEndpointsItIsAllowed(String method, String path, String user, boolean allowed) {
        long before = storedEvents();

        Api.Response response = api.send(user, method, path, "application/json",
                method.equals("POST") ? "{}".getBytes() : null);

        assertThat(response.status()).as(response.body()).isNotEqualTo(401);
        if (allowed) {
            assertThat(response.status()).as(response.body()).isNotEqualTo(403).isLessThan(500);
        } else {
            assertThat(response.status()).as(response.body()).isEqualTo(403);
        }
        assertThat(response.isProblem() || response.status() == 200).as(response.contentType()).isTrue();
        assertThat(storedEvents()).isEqualTo(before);
    }
}
