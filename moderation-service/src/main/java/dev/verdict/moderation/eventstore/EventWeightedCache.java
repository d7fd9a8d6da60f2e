package dev.verdict.moderation.eventstore;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;

/**
 * The advertisers kept in memory, bounded by the events they were built from rather than by their number, so that
 * the bound holds the heap whatever the data: an advertiser's memory grows with its decisions and appeals (each
 * came from one event), and a bound of 10,000 advertisers let a few heavy ones fill the heap (docs/PERFORMANCE.md,
 * section 5).
 *
 * <p>An entry weighs the events of its advertiser's stream plus {@link #PER_ADVERTISER} for the advertiser itself
 * (its identifier, maps and the wrappers of Axon and of the cache). Axon puts a new entry after every command, so the
 * weight follows the advertiser as it grows. Axon's entry keeps the aggregate's version (the sequence number of its
 * latest event) in a private field, read here through a {@link VarHandle}; the class fails to load, and the service
 * to start, if a new Axon version moves it.
 */
final class EventWeightedCache implements Cache {

    /** What an advertiser costs apart from its decisions and appeals, in events (measured: docs/PERFORMANCE.md). */
    static final int PER_ADVERTISER = 4;

    private static final VarHandle VERSION = versionOfEntry();

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> entries;

    EventWeightedCache(long maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("the advertisers' cache must be allowed at least one event, not "
                    + maxEvents);
        }
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxEvents)
                .weigher((Object key, Object value) -> weight(value))
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /** The most advertisers a cache of {@code maxEvents} can hold (each has at least one event). */
    static long mostAdvertisers(long maxEvents) {
        return Math.max(1, maxEvents / (PER_ADVERTISER + 1));
    }

    static int weight(Object value) {
        long events = 0;
        if (value instanceof AggregateCacheEntry<?> entry) {
            Long version = (Long) VERSION.get(entry);
            events = version == null ? 0 : version + 1;
        }
        return (int) Math.min(Integer.MAX_VALUE, events + PER_ADVERTISER);
    }

    /** The events held by all entries, as the cache weighs them (its policy's current total). */
    long weightedSize() {
        entries.cleanUp();
        return eventsHeld();
    }

    /** The same without tidying first (cheap enough for a metric). */
    long eventsHeld() {
        return entries.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /**
     * Puts the cache's figures on the registry: Micrometer's {@code cache_gets_total} by result (a miss is an
     * advertiser read from the store again; so is a hit that {@link StoreCheckedCache} finds stale, which only another
     * instance's appends cause), {@code cache_evictions_total}, {@code cache_size}, and the events held
     * against the bound ({@code verdict_aggregate_cache_events}), which say whether VERDICT_AGGREGATE_CACHE_EVENTS fits
     * the advertisers in use.
     */
    void monitor(MeterRegistry meters, String name) {
        CaffeineCacheMetrics.monitor(meters, entries, name);
        Gauge.builder("verdict.aggregate.cache.events", this, EventWeightedCache::eventsHeld)
                .description("events held by the advertisers in memory, as the cache weighs them")
                .tag("cache", name).register(meters);
        Gauge.builder("verdict.aggregate.cache.events.max", entries,
                        cache -> cache.policy().eviction().orElseThrow().getMaximum())
                .description("the bound on them (VERDICT_AGGREGATE_CACHE_EVENTS)")
                .tag("cache", name).register(meters);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.getIfPresent(key);
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.asMap().putIfAbsent(key, value) == null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return (T) entries.asMap().computeIfAbsent(key, k -> {
            T value = valueSupplier.get();
            if (value == null) {
                throw new IllegalArgumentException("the value supplier produced no value for " + key);
            }
            return value;
        });
    }

    @Override
    public boolean remove(Object key) {
        return entries.asMap().remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.invalidateAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.asMap().containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.asMap().computeIfPresent(key, (k, value) -> update.apply((V) value));
    }

    /** Axon's caching repository never listens to its cache, and nothing in Verdict does. */
    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        throw new UnsupportedOperationException("the advertisers' cache does not report its entries to listeners");
    }

    private static VarHandle versionOfEntry() {
        try {
            return MethodHandles.privateLookupIn(AggregateCacheEntry.class, MethodHandles.lookup())
                    .findVarHandle(AggregateCacheEntry.class, "version", Long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("Axon's AggregateCacheEntry no longer keeps the aggregate's version "
                    + "in a field 'version' of type Long, which weighs the advertisers' cache: " + e);
        }
    }
}
