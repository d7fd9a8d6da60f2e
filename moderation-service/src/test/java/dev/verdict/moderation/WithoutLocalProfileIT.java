package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.testkit.Api;
import dev.verdict.testkit.RealServers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Outside the local profile the local users do not exist, and no default user is generated in their place. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WithoutLocalProfileIT {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        RealServers.registerDataSource("moderation_nolocal", registry::add);
        registry.add("verdict.publishing.bootstrap-servers", RealServers::kafkaBootstrapServers);
    }

    @LocalServerPort
    int port;

    @Test
    void localUsersAreRefusedAndHealthStaysReadable() {
        Api api = new Api("http://localhost:" + port);

        Api.Response withLocalUser = api.post("moderator1", "/api/v1/advertisers", "{}");
        assertThat(withLocalUser.status()).isEqualTo(401);
        assertThat(withLocalUser.isProblem()).isTrue();
        assertThat(api.post("user", "/api/v1/advertisers", "{}").status()).isEqualTo(401);
        assertThat(api.get(null, "/actuator/health").status()).isEqualTo(200);
    }
}
