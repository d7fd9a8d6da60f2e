package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.contract.ChainVerifier;
import dev.verdict.testkit.Api;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Two moderation instances on one event store. Each keeps the advertisers it served in memory; when the other one
 * appended meanwhile, the stale copy must never decide anything: its append is refused by the store, and the
 * command runs again on the stored history. The client sees an ordinary success, and the chain stays one chain.
 */
class SecondInstanceIT extends LiveModerationService {

    private static ConfigurableApplicationContext second;

    @Autowired
    Environment environment;

    Api other;

    @BeforeEach
    void startSecondInstance() {
        if (second == null) {
            // Command-line arguments: they take precedence over application.yml, as the first instance's test
            // properties do.
            second = new SpringApplicationBuilder(ModerationApplication.class).profiles("local").run(
                    "--server.port=0",
                    "--spring.datasource.url=" + environment.getRequiredProperty("spring.datasource.url"),
                    "--spring.datasource.username=" + environment.getRequiredProperty("spring.datasource.username"),
                    "--spring.datasource.password=" + environment.getRequiredProperty("spring.datasource.password"),
                    "--verdict.publishing.bootstrap-servers="
                            + environment.getRequiredProperty("verdict.publishing.bootstrap-servers"),
                    "--verdict.publishing.topic=" + TOPIC,
                    "--verdict.publishing.partitions=3",
                    "--verdict.source.instance=second-instance");
        }
        other = new Api("http://localhost" + ":" + second.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @Test
    void anInstanceWhoseAdvertiserIsBehindDecidesOnTheStoredHistory() {
        String advertiser = register("two-" + UUID.randomUUID().toString().substring(0, 8));
        String decisions = "/api/v1/advertisers/" + advertiser + "/decisions";

        Api.Response first = api.post("moderator1", decisions, ban("\"ADVERTISING\""));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Api.Response elsewhere = other.post("moderator2", decisions, ban("\"ORGANIC\""));
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(201);
        assertThat(json(elsewhere.body()).path("version").asLong()).isEqualTo(2);

        // This instance last saw version 1: its copy is behind the store.
        Api.Response behind = api.post("moderator1", decisions, ban("\"ADVERTISING\""));
        assertThat(behind.status()).as(behind.body()).isEqualTo(201);
        assertThat(json(behind.body()).path("version").asLong()).isEqualTo(3);

        // Behind again, now with If-Match naming the version the other instance answered: still the stored truth.
        Api.Response elsewhereAgain = other.post("moderator2", decisions, ban("\"ORGANIC\""));
        assertThat(elsewhereAgain.status()).as(elsewhereAgain.body()).isEqualTo(201);
        Api.Response matching = api.post("moderator1", decisions, ban("\"ADVERTISING\""), "If-Match", "\"4\"");
        assertThat(matching.status()).as(matching.body()).isEqualTo(201);
        assertThat(json(matching.body()).path("version").asLong()).isEqualTo(5);
        Api.Response stale = api.post("moderator1", decisions, ban("\"ADVERTISING\""), "If-Match", "\"4\"");
        assertThat(stale.status()).as(stale.body()).isEqualTo(412);

        ChainVerifier chain = new ChainVerifier();
        publishedEnvelopes(advertiser, 6).forEach(chain::accept);
        assertThat(chain.complete(6)).as("one hash chain across both instances").isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, advertiser)).isEqualTo(6);
    }
}
