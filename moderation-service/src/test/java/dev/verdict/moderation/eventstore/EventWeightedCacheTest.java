package dev.verdict.moderation.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.moderation.advertiser.Advertiser;
import dev.verdict.moderation.advertiser.AdvertiserTest;
import dev.verdict.moderation.advertiser.AppealWindow;
import dev.verdict.moderation.advertiser.IssueDecision;
import dev.verdict.moderation.advertiser.IssuedTerms;
import dev.verdict.moderation.advertiser.RegisterAdvertiser;
import dev.verdict.moderation.provenance.Provenance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The advertisers' cache as Axon's caching repository uses it: an advertiser weighs its events plus
 * {@link EventWeightedCache#PER_ADVERTISER}, the total never exceeds the bound, and an advertiser that was evicted is
 * read from the store again on its next command.
 */
class EventWeightedCacheTest {

    private static final Instant NOW = Instant.now();

    private Configuration axon;

    @AfterEach
    void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    @Test
    void anAdvertiserWeighsItsEventsPlusItself() {
        EventWeightedCache cache = new EventWeightedCache(1_000);
        axon = axonWith(cache);

        register("w-1");
        assertThat(cache.weightedSize()).isEqualTo(1 + EventWeightedCache.PER_ADVERTISER);

        for (int i = 0; i < 3; i++) {
            issueWarning("w-1");
        }
        assertThat(cache.weightedSize()).as("re-weighed after every command")
                .isEqualTo(4 + EventWeightedCache.PER_ADVERTISER);
        assertThat(cache.containsKey("w-1")).isTrue();
    }

    @Test
    void theCacheNeverHoldsMoreEventsThanItsBoundAndEvictedAdvertisersAreReadAgain() {
        long bound = 60;
        EventWeightedCache cache = new EventWeightedCache(bound);
        axon = axonWith(cache);
        List<String> advertisers = List.of("b-0", "b-1", "b-2", "b-3", "b-4", "b-5", "b-6", "b-7", "b-8", "b-9");

        for (String advertiser : advertisers) {
            register(advertiser);
            for (int i = 0; i < 5; i++) {
                issueWarning(advertiser);
                assertThat(cache.weightedSize()).isLessThanOrEqualTo(bound);
            }
        }
        // Ten advertisers of six events weigh 100 together: some had to go.
        assertThat(advertisers.stream().filter(cache::containsKey).count()).isLessThan(advertisers.size());

        // Every advertiser takes its next command, evicted or not, at the version its stream says.
        for (String advertiser : advertisers) {
            issueWarning(advertiser);
            assertThat(axon.eventStore().lastSequenceNumberFor(advertiser)).contains(6L);
        }
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(bound);
    }

    @Test
    void anAdvertiserHeavierThanTheWholeBoundIsNotKept() {
        EventWeightedCache cache = new EventWeightedCache(10);
        axon = axonWith(cache);

        register("heavy");
        for (int i = 0; i < 8; i++) {
            issueWarning("heavy");
        }
        assertThat(cache.containsKey("heavy")).isFalse();
        assertThat(cache.weightedSize()).isZero();
        assertThat(axon.eventStore().lastSequenceNumberFor("heavy")).contains(8L);
    }

    @Test
    void theTipsCoverAsManyAdvertisersAsTheCacheCanHold() {
        assertThat(EventWeightedCache.mostAdvertisers(400_000)).isEqualTo(80_000);
        assertThat(EventWeightedCache.mostAdvertisers(3)).isEqualTo(1);
        assertThatThrownBy(() -> new EventWeightedCache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRetiredBoundInAdvertisersStopsTheServiceInsteadOfBeingIgnored() {
        AggregateCaching.refuseRetiredBound(null);
        assertThatThrownBy(() -> AggregateCaching.refuseRetiredBound("10000"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VERDICT_AGGREGATE_CACHE_EVENTS");
    }

    @Test
    void listenersAreRefusedOutright() {
        assertThatThrownBy(() -> new EventWeightedCache(10).registerCacheEntryListener(
                new org.axonframework.common.caching.Cache.EntryListenerAdapter()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static Configuration axonWith(EventWeightedCache cache) {
        return DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Advertiser.class)
                        .configureCache(c -> cache))
                .configureSerializer(c -> JacksonSerializer.defaultSerializer())
                .configureEventSerializer(c -> JacksonSerializer.builder().objectMapper(EventJson.mapper().copy())
                        .build())
                .registerComponent(AppealWindow.class, c -> AppealWindow.standard())
                .registerComponent(IssuedTerms.class, c -> new IssuedTerms(c.eventStore()))
                .start();
    }

    private void register(String advertiser) {
        send(new RegisterAdvertiser(advertiser, "Weighed Ltd", "DE", AccountType.BUSINESS));
    }

    private void issueWarning(String advertiser) {
        send(new IssueDecision(advertiser, null, UUID.randomUUID().toString(), DecisionKind.WARNING,
                AdvertiserTest.terms(NOW.minusSeconds(60), null), NOW));
    }

    private void send(Object command) {
        axon.commandGateway().sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(
                MetaData.from(Map.of(Provenance.ACTOR_ID, "moderator1", Provenance.ACTOR_TYPE, "HUMAN",
                        Provenance.ACTOR_ROLES, List.of("MODERATOR")))));
    }
}
