package dev.verdict.moderation.provenance;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The hash of each advertiser's latest event that this instance committed, so that sealing the next event does not
 * read the previous one back from the event store.
 *
 * <p>A tip names its sequence number and is used only for exactly the sequence it is asked for. A committed event
 * never changes, so a tip is never wrong; it can only be missing or older than the store (when another instance
 * appended since), and then the caller reads the store as before. A tip is remembered only after the command's
 * transaction has committed.
 */
public class ChainTips {

    /** The hash of an advertiser's event at {@code sequence}. */
    public record Tip(long sequence, String hash) {
    }

    private final Cache<String, Tip> tips;

    private ChainTips(Cache<String, Tip> tips) {
        this.tips = tips;
    }

    /** Tips in a heap cache of their own, at most {@code entries} advertisers (the least used go first). */
    public static ChainTips onHeap(long entries) {
        return new ChainTips(Caffeine.newBuilder().maximumSize(entries).executor(Runnable::run).build());
    }

    /** The hash of the advertiser's event at exactly this sequence, when this instance committed it last. */
    Optional<String> hashAt(String advertiserId, long sequence) {
        Tip tip = tips.getIfPresent(advertiserId);
        return tip != null && tip.sequence() == sequence ? Optional.of(tip.hash()) : Optional.empty();
    }

    /** The sequence number of the advertiser's latest event that this instance committed, if it remembers one. */
    public Optional<Long> sequenceOf(String advertiserId) {
        Tip tip = tips.getIfPresent(advertiserId);
        return tip == null ? Optional.empty() : Optional.of(tip.sequence());
    }

    /** Remembers the hash once the current unit of work has committed; outside one, nothing is remembered. */
    void rememberOnCommit(String advertiserId, long sequence, String hash) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> tips.put(advertiserId, new Tip(sequence, hash)));
        }
    }
}
