package dev.verdict.moderation.publishing;

import java.util.ArrayList;
import java.util.List;

/**
 * How far the publisher has got in the event store's global index, and which lower indexes it still watches.
 *
 * <p>Global indexes come from a sequence, taken inside the appending transaction, so they become visible out of
 * order: a later index can commit while an earlier one is still in flight, and an index whose transaction rolls
 * back never appears at all. Reading past an index that is not (yet) there leaves a gap. Axon's tracking token gives
 * up on a gap after a timeout or once it lies 10,000 indexes behind, which skips an event whose transaction was slow
 * enough. Here a gap is given up only on proof: every appending transaction holds its transaction id before it takes
 * an index (the store's trigger), so the transaction that took a missing index had its id before the gap was seen.
 * Right after a read that opens gaps, the publisher assigns itself a fresh transaction id (the gaps' horizon): ids are
 * handed out in increasing order, so the missing index's transaction has a smaller one. Once a later snapshot's xmin
 * has reached the horizon, every transaction with a smaller id has ended: if the index is still missing in that
 * snapshot, it is missing for good. Nothing is ever skipped on a timer.
 *
 * <p>Not a snapshot's xmax: that is one past the latest <em>completed</em> id, and a running transaction may hold a
 * larger one (the first version of this rule used it; the reliability suite lost an event to it under load, and the
 * model-based property, once it modelled xmax as PostgreSQL computes it, found the same interleaving).
 *
 * <p>Immutable and free of I/O, so that the rule can be checked exhaustively by tests.
 *
 * @param lastIndex the highest index read past; everything at or below it is published or in {@code gaps}
 * @param gaps      the indexes at or below {@code lastIndex} still awaited, as ranges sorted by {@code from}
 */
public record PublicationPosition(long lastIndex, List<Gap> gaps) {

    public PublicationPosition {
        gaps = List.copyOf(gaps);
    }

    /** Before the first event (global indexes start at 1). */
    public static PublicationPosition start() {
        return new PublicationPosition(0, List.of());
    }

    /**
     * Indexes {@code from..to} (inclusive), awaited until every transaction with an id below {@code horizon} has
     * ended.
     */
    public record Gap(long from, long to, long horizon) {
        public Gap {
            if (from > to) {
                throw new IllegalArgumentException("empty gap " + from + ".." + to);
            }
        }

        long size() {
            return to - from + 1;
        }
    }

    /**
     * What a read knows of the transactions: every id below {@code xmin} had ended when its snapshot was taken, and
     * {@code horizon} is an id assigned after that snapshot (needed only when the read {@link #opensGaps opens gaps}).
     */
    public record Snapshot(long xmin, long horizon) {
    }

    /** Whether a read that returned {@code indexes} (ascending) leaves new gaps above {@code lastIndex}. */
    public boolean opensGaps(List<Long> indexes) {
        long last = lastIndex;
        for (long index : indexes) {
            if (index > last) {
                if (index > last + 1) {
                    return true;
                }
                last = index;
            }
        }
        return false;
    }

    /** Indexes still awaited (for metrics and logs). */
    public long awaitedIndexes() {
        return gaps.stream().mapToLong(Gap::size).sum();
    }

    /**
     * The position after a read in {@code snapshot} that returned {@code indexes} (ascending): every index above
     * {@code lastIndex} or inside a gap, in order, up to the read's limit. {@code complete} says the read was not cut
     * by its limit; otherwise nothing above the last index returned was looked at.
     */
    public PublicationPosition after(Snapshot snapshot, List<Long> indexes, boolean complete) {
        long seenUpTo = complete || indexes.isEmpty() ? Long.MAX_VALUE : indexes.get(indexes.size() - 1);
        List<Gap> next = new ArrayList<>();
        int i = 0;
        for (Gap gap : gaps) {
            long from = gap.from();
            while (i < indexes.size() && indexes.get(i) < gap.from()) {
                i++;
            }
            while (i < indexes.size() && indexes.get(i) <= gap.to()) {
                long found = indexes.get(i++);
                if (found > from) {
                    keep(next, new Gap(from, found - 1, gap.horizon()), snapshot, seenUpTo);
                }
                from = found + 1;
            }
            if (from <= gap.to()) {
                keep(next, new Gap(from, gap.to(), gap.horizon()), snapshot, seenUpTo);
            }
        }
        long last = lastIndex;
        for (long index : indexes) {
            if (index > last) {
                if (index > last + 1) {
                    keep(next, new Gap(last + 1, index - 1, snapshot.horizon()), snapshot, seenUpTo);
                }
                last = index;
            }
        }
        return new PublicationPosition(last, next);
    }

    /** Keeps a gap unless this snapshot proves it final: read through entirely, with its writers all ended. */
    private static void keep(List<Gap> gaps, Gap gap, Snapshot snapshot, long seenUpTo) {
        boolean final_ = gap.to() <= seenUpTo && snapshot.xmin() >= gap.horizon();
        if (!final_) {
            gaps.add(gap);
        }
    }
}
