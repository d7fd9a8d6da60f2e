package dev.verdict.moderation.eventstore;

import dev.verdict.moderation.provenance.ChainTips;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Advertisers stay in memory between their commands, so a command neither reads nor replays the advertiser's events
 * again: without this, every command re-read and deserialized the advertiser's whole stream, which made the cost of
 * a command grow with the advertiser's history (docs/BENCHMARKS.md).
 *
 * <p>Nothing is decided on a stale advertiser: Axon holds the advertiser's lock while a command uses the cached
 * aggregate and removes it when the command rolls back, and {@link StoreCheckedCache} hands an entry out only when the
 * store's latest sequence number for that advertiser is the one this instance committed (another instance, or a
 * migration, may have appended). An append racing that check is refused by the store's unique key, and
 * {@code web/Commands} runs the command again on the stored history.
 *
 * <p>The cache is bounded by the events its advertisers were built from ({@link EventWeightedCache},
 * {@code VERDICT_AGGREGATE_CACHE_EVENTS}); the tips of the advertisers' hash chains ({@link ChainTips}) by as many
 * advertisers as that can hold.
 */
@Configuration(proxyBeanMethods = false)
class AggregateCaching {

    /** Named by {@code @Aggregate(cache = "advertiserCache")} on the Advertiser aggregate. */
    @Bean
    Cache advertiserCache(@Value("${verdict.aggregate-cache.events}") long events,
                          @Value("${verdict.aggregate-cache.size:#{null}}") String retiredBound, ChainTips tips,
                          JdbcTemplate jdbc, MeterRegistry meters) {
        refuseRetiredBound(retiredBound);
        EventWeightedCache advertisers = new EventWeightedCache(events);
        advertisers.monitor(meters, "advertisers");
        return new StoreCheckedCache(advertisers, tips, jdbc);
    }

    /**
     * The bound used to be a number of advertisers (VERDICT_AGGREGATE_CACHE_SIZE); a deployment that still sets it
     * would silently get the default bound in events, so the service refuses to start and says what to set instead.
     */
    static void refuseRetiredBound(String retiredBound) {
        if (retiredBound != null) {
            throw new IllegalStateException("VERDICT_AGGREGATE_CACHE_SIZE (advertisers) is no longer read: the "
                    + "advertisers' cache is bounded by the events they hold, VERDICT_AGGREGATE_CACHE_EVENTS "
                    + "(400000 by default, about 100 MiB of heap); unset the old variable and set the new one if "
                    + "the default does not suit");
        }
    }

    /** As many tips as the advertisers' cache can hold advertisers, so that no cached advertiser loses its tip. */
    @Bean
    ChainTips chainTips(@Value("${verdict.aggregate-cache.events}") long events) {
        return ChainTips.onHeap(EventWeightedCache.mostAdvertisers(events));
    }
}
