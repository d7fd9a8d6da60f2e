package dev.verdict.moderation.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The publisher's gap rule against a model of PostgreSQL: transactions take an id, then a global index, and commit
 * or roll back in any order and after any delay, while the publisher reads at any moment, with any batch limit. Every
 * committed index must be read exactly once, whatever the interleaving, and no gap may outlive the transactions that
 * could fill it.
 */
class PublicationPositionPropertiesTest {

    @Property(tries = 1000)
    void everyCommittedIndexIsReadExactlyOnceAndGapsEnd(@ForAll("schedules") List<Integer> schedule,
                                                        @ForAll @IntRange(min = 1, max = 7) int limit) {
        Database db = new Database();
        PublicationPosition position = PublicationPosition.start();
        List<Long> read = new ArrayList<>();
        for (int step : schedule) {
            int action = step % 5;
            int pick = step / 5;
            switch (action) {
                case 0 -> db.begin();
                case 1 -> db.takeIndex(pick);
                case 2 -> db.end(pick, true);
                case 3 -> db.end(pick, false);
                default -> position = db.readInto(position, limit, read);
            }
        }
        db.endAll();
        for (int i = 0; i < db.committed.size() + 2; i++) {
            position = db.readInto(position, limit, read);
        }
        assertThat(read).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(read)).isEqualTo(db.committed);
        assertThat(position.gaps()).as("no transaction is left to fill a gap").isEmpty();
    }

    @Test
    void anIndexCommittedLongAfterTenThousandLaterOnesIsStillRead() {
        Database db = new Database();
        int slow = db.begin();
        db.takeIndexOf(slow);
        PublicationPosition position = PublicationPosition.start();
        List<Long> read = new ArrayList<>();
        for (int i = 0; i < 10_500; i++) {
            int tx = db.begin();
            db.takeIndexOf(tx);
            db.endTx(tx, true);
            if (i % 100 == 0) {
                position = db.readInto(position, 500, read);
            }
        }
        position = db.readInto(position, 100_000, read);
        assertThat(read).hasSize(10_500).doesNotContain(1L);
        assertThat(position.gaps()).extracting(PublicationPosition.Gap::from, PublicationPosition.Gap::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L));

        db.endTx(slow, true);
        position = db.readInto(position, 500, read);
        assertThat(read).hasSize(10_501).contains(1L);
        assertThat(position.gaps()).isEmpty();
    }

    @Test
    void aRolledBackIndexIsGivenUpOnlyOnceItsTransactionHasEnded() {
        Database db = new Database();
        int aborting = db.begin();
        db.takeIndexOf(aborting);
        int later = db.begin();
        db.takeIndexOf(later);
        db.endTx(later, true);
        List<Long> read = new ArrayList<>();
        PublicationPosition position = db.readInto(PublicationPosition.start(), 10, read);
        assertThat(position.gaps()).hasSize(1);

        db.endTx(aborting, false);
        position = db.readInto(position, 10, read);
        assertThat(position.gaps()).isEmpty();
        assertThat(read).containsExactly(2L);
    }

    @Test
    void aGapIsKeptWhileTheNewestTransactionHoldsIt() {
        Database db = new Database();
        int older = db.begin();
        int newer = db.begin();
        db.takeIndexOf(newer);
        db.takeIndexOf(older);
        db.endTx(older, true);
        List<Long> read = new ArrayList<>();
        PublicationPosition position = db.readInto(PublicationPosition.start(), 10, read);
        position = db.readInto(position, 10, read);
        assertThat(position.gaps()).as("index 1 belongs to a running transaction").hasSize(1);

        db.endTx(newer, true);
        db.readInto(position, 10, read);
        assertThat(read).containsExactly(2L, 1L);
    }

    /**
     * The interleaving that lost an event in the reliability suite: the transaction holding the missing index has
     * a larger id than every completed one, so it lies at or above the snapshot's xmax and does not hold xmin back.
     */
    @Test
    void aGapIsKeptWhileItsTransactionRunsAboveTheSnapshotsXmax() {
        Database db = new Database();
        int first = db.begin();
        int second = db.begin();
        db.takeIndexOf(second);
        db.takeIndexOf(first);
        db.endTx(first, true);
        List<Long> read = new ArrayList<>();
        PublicationPosition position = db.readInto(PublicationPosition.start(), 10, read);
        position = db.readInto(position, 10, read);
        assertThat(position.gaps()).as("index 1 belongs to a transaction still running").hasSize(1);

        db.endTx(second, true);
        db.readInto(position, 10, read);
        assertThat(read).containsExactly(2L, 1L);
    }

    @Provide
    Arbitrary<List<Integer>> schedules() {
        // Small picks: few transactions at a time, so that the interesting interleavings are frequent.
        return Arbitraries.integers().between(0, 24).list().ofMaxSize(80);
    }

    /**
     * Transaction ids and a sequence, with PostgreSQL's snapshot rules (GetSnapshotData): a snapshot's xmax is one
     * past the latest <em>completed</em> id, not the next id to be assigned, and its xmin is the oldest running id
     * below that xmax. Ids are assigned in increasing order; the trigger's order: id, then index.
     */
    private static final class Database {
        private long nextXid = 1;
        private long latestCompleted = 0;
        private long nextIndex = 1;
        /** Running transactions: id → the index it took, or null. */
        private final Map<Long, Long> running = new LinkedHashMap<>();
        private final TreeSet<Long> committed = new TreeSet<>();

        int begin() {
            running.put(nextXid, null);
            return (int) nextXid++;
        }

        void takeIndex(int pick) {
            List<Long> without = running.entrySet().stream().filter(e -> e.getValue() == null)
                    .map(Map.Entry::getKey).toList();
            if (!without.isEmpty()) {
                running.put(without.get(pick % without.size()), nextIndex++);
            }
        }

        void takeIndexOf(int xid) {
            running.put((long) xid, nextIndex++);
        }

        void end(int pick, boolean commit) {
            if (!running.isEmpty()) {
                List<Long> ids = new ArrayList<>(running.keySet());
                endTx(ids.get(pick % ids.size()).intValue(), commit);
            }
        }

        void endTx(int xid, boolean commit) {
            latestCompleted = Math.max(latestCompleted, xid);
            Long index = running.remove((long) xid);
            if (commit && index != null) {
                committed.add(index);
            }
        }

        void endAll() {
            for (Long xid : new ArrayList<>(running.keySet())) {
                endTx(xid.intValue(), true);
            }
        }

        /**
         * One read as EventStoreReader does it: gap fills, then up to limit indexes beyond, in one snapshot; then,
         * only when the read opens new gaps, a fresh transaction id (pg_current_xact_id() in a transaction of its
         * own, which completes at once) as their horizon.
         */
        PublicationPosition readInto(PublicationPosition position, int limit, List<Long> read) {
            long xmax = latestCompleted + 1;
            long xmin = running.keySet().stream().filter(xid -> xid < xmax).mapToLong(Long::longValue).min()
                    .orElse(xmax);
            Set<Long> visible = new HashSet<>(committed);
            List<Long> indexes = new ArrayList<>();
            for (PublicationPosition.Gap gap : position.gaps()) {
                visible.stream().filter(i -> i >= gap.from() && i <= gap.to()).sorted().forEach(indexes::add);
            }
            List<Long> beyond = visible.stream().filter(i -> i > position.lastIndex()).sorted().limit(limit).toList();
            indexes.addAll(beyond);
            read.addAll(indexes);
            long horizon = Long.MAX_VALUE;
            if (position.opensGaps(indexes)) {
                horizon = nextXid++;
                latestCompleted = Math.max(latestCompleted, horizon);
            }
            return position.after(new PublicationPosition.Snapshot(xmin, horizon), indexes, beyond.size() < limit);
        }
    }
}
