package dev.verdict.moderation.eventstore;

import dev.verdict.moderation.provenance.ChainTips;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The advertisers kept in memory, each handed to a command only after the event store confirms that it is current:
 * the advertiser's latest stored sequence number must be the one this instance committed last ({@link ChainTips}).
 * Otherwise (another instance, or anything else, appended since; or this instance never appended to it) the entry
 * is dropped and Axon reads the advertiser's events as it would without a cache. The check is one index lookup in
 * the command's own transaction, instead of reading and deserializing the whole stream; an append that races the
 * check is refused by the store's unique key and the command runs again (web/Commands).
 */
final class StoreCheckedCache implements Cache {

    private final Cache cached;
    private final ChainTips tips;
    private final JdbcTemplate jdbc;

    StoreCheckedCache(Cache cached, ChainTips tips, JdbcTemplate jdbc) {
        this.cached = cached;
        this.tips = tips;
        this.jdbc = jdbc;
    }

    @Override
    public <K, V> V get(K key) {
        V entry = cached.get(key);
        if (entry == null) {
            return null;
        }
        String advertiserId = key.toString();
        Long committed = tips.sequenceOf(advertiserId).orElse(null);
        Long stored = committed == null ? null : jdbc.queryForObject(
                "SELECT max(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                advertiserId);
        if (committed != null && committed.equals(stored)) {
            return entry;
        }
        cached.remove(key);
        return null;
    }

    @Override
    public void put(Object key, Object value) {
        cached.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return cached.putIfAbsent(key, value);
    }

    @Override
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return cached.computeIfAbsent(key, valueSupplier);
    }

    @Override
    public boolean remove(Object key) {
        return cached.remove(key);
    }

    @Override
    public void removeAll() {
        cached.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return cached.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return cached.registerCacheEntryListener(cacheEntryListener);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        cached.computeIfPresent(key, update);
    }
}
