package dev.verdict.moderation.eventstore;

import dev.verdict.moderation.provenance.ChainTips;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
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
 * <p>The same bound applies to the tips of the advertisers' hash chains ({@link ChainTips}).
 */
@Configuration(proxyBeanMethods = false)
class AggregateCaching {

    static final String ADVERTISERS = "advertisers";
    static final String CHAIN_TIPS = "chain-tips";

    @Bean(destroyMethod = "close")
    CacheManager verdictCaches(@Value("${verdict.aggregate-cache.size:10000}") long entries) {
        return CacheManagerBuilder.newCacheManagerBuilder()
                .withCache(ADVERTISERS, CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class,
                        Object.class, ResourcePoolsBuilder.heap(entries)))
                .withCache(CHAIN_TIPS, CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class,
                        ChainTips.Tip.class, ResourcePoolsBuilder.heap(entries)))
                .build(true);
    }

    /** Named by {@code @Aggregate(cache = "advertiserCache")} on the Advertiser aggregate. */
    @Bean
    Cache advertiserCache(CacheManager caches, ChainTips tips, JdbcTemplate jdbc) {
        return new StoreCheckedCache(new EhCache3Adapter(
                (Ehcache<?, ?>) caches.getCache(ADVERTISERS, Object.class, Object.class)), tips, jdbc);
    }

    @Bean
    ChainTips chainTips(CacheManager caches) {
        return new ChainTips(caches.getCache(CHAIN_TIPS, String.class, ChainTips.Tip.class));
    }
}
