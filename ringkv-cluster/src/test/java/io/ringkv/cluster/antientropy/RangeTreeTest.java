package io.ringkv.cluster.antientropy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.StorageOptions;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree follows the store, rehashing only the leaves that writes touched. */
class RangeTreeTest {
    @TempDir
    Path dir;
    ReplicaStore store;
    final Throttle unthrottled = new Throttle(new ManualScheduler(), 0);

    @BeforeEach
    void open() {
        store = ReplicaStore.open(StorageOptions.builder(dir).build(), ReplicaConfig.defaults());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Versioned v(long counter, String value) {
        return Versioned.of(CausalContext.EMPTY, new Dot("n1~a", counter), value.getBytes(UTF_8), 1_000);
    }

    @Test
    void only_dirty_leaves_are_rehashed_and_the_result_equals_a_full_rebuild() {
        TokenRange range = new TokenRange(Token.parse("40000000000000000000000000000000"), Token.parse("c0000000000000000000000000000000"));
        RangeTree tree = new RangeTree(range, 10);
        store.onKeyWritten(k -> {
            Token t = Token.of(k);
            if (range.contains(t)) {
                tree.keyWritten(t);
            }
        });
        for (int i = 0; i < 2_000; i++) {
            store.apply(("k" + i).getBytes(UTF_8), v(i + 1, "v" + i));
        }
        RangeTree.Refresh first = tree.refresh(store.engine(), unthrottled);
        assertThat(first.leavesRehashed()).as("the first build hashes every leaf").isEqualTo(1024);
        long rootBefore = tree.root();
        assertThat(tree.refresh(store.engine(), unthrottled).leavesRehashed()).as("nothing changed").isZero();

        int inRange = 0;
        for (int i = 0; inRange < 3; i++) {
            byte[] k = ("new" + i).getBytes(UTF_8);
            if (range.contains(Token.of(k))) {
                store.apply(k, v(10_000 + i, "x"));
                inRange++;
            }
        }
        RangeTree.Refresh incremental = tree.refresh(store.engine(), unthrottled);
        assertThat(incremental.leavesRehashed()).isBetween(1, 3);
        assertThat(tree.root()).isNotEqualTo(rootBefore);

        RangeTree rebuilt = new RangeTree(range, 10);
        rebuilt.refresh(store.engine(), unthrottled);
        assertThat(rebuilt.root()).as("incremental equals rebuilt from scratch").isEqualTo(tree.root());
        assertThat(tree.leavesRehashed()).isEqualTo(1024 + incremental.leavesRehashed());
    }

    @Test
    void a_small_range_is_read_whole_once_scanning_its_dirty_leaves_one_by_one_would_cost_more() {
        TokenRange whole = new TokenRange(Token.MIN, Token.MIN);
        RangeTree tree = new RangeTree(whole, 10);
        store.onKeyWritten(k -> tree.keyWritten(Token.of(k)));
        for (int i = 0; i < 50; i++) {
            store.apply(("k" + i).getBytes(UTF_8), v(i + 1, "v" + i));
        }
        long rangeBytes = tree.refresh(store.engine(), unthrottled).bytesScanned();
        assertThat(rangeBytes).as("50 small keys").isPositive().isLessThan(RangeTree.SCAN_COST_BYTES);

        store.apply("one".getBytes(UTF_8), v(100, "x"));
        RangeTree.Refresh one = tree.refresh(store.engine(), unthrottled);
        assertThat(one.leavesRehashed()).isEqualTo(1);
        assertThat(one.bytesScanned()).as("one dirty leaf: that leaf alone is scanned").isLessThan(rangeBytes);

        for (int i = 0; i < 5; i++) {
            store.apply(("more" + i).getBytes(UTF_8), v(200 + i, "y"));
        }
        RangeTree.Refresh several = tree.refresh(store.engine(), unthrottled);
        assertThat(several.leavesRehashed()).isGreaterThanOrEqualTo(2);
        assertThat(several.bytesScanned()).as("2+ dirty leaves cost more as scans than the whole range once")
                .isGreaterThanOrEqualTo(rangeBytes);
        RangeTree rebuilt = new RangeTree(whole, 10);
        rebuilt.refresh(store.engine(), unthrottled);
        assertThat(tree.root()).isEqualTo(rebuilt.root());
    }

    @Test
    void an_empty_range_has_root_zero_and_equal_contents_give_equal_roots() {
        TokenRange whole = new TokenRange(Token.MIN, Token.MIN);
        RangeTree empty = new RangeTree(whole, 6);
        empty.refresh(store.engine(), unthrottled);
        assertThat(empty.root()).isZero();
        store.apply("a".getBytes(UTF_8), v(1, "1"));
        RangeTree one = new RangeTree(whole, 6);
        one.refresh(store.engine(), unthrottled);
        assertThat(one.root()).isNotZero();
    }

    @Test
    void every_token_lies_in_the_leaf_range_of_the_leaf_it_maps_to() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 200; trial++) {
            Token from = new Token(random.nextLong(), random.nextLong());
            Token to = trial % 10 == 0 ? from : new Token(random.nextLong(), random.nextLong());
            if (trial % 7 == 0) { // a tiny range: fewer tokens than leaves
                to = new Token(from.high(), from.low() + 1 + random.nextInt(100));
            }
            TokenRange range = new TokenRange(from, to);
            LeafGrid grid = new LeafGrid(range, 1 + random.nextInt(12));
            for (int i = 0; i < 200; i++) {
                Token t = new Token(random.nextLong(), random.nextLong());
                if (i == 0) {
                    t = to;
                }
                if (!range.contains(t)) {
                    continue;
                }
                int leaf = grid.leafOf(t);
                assertThat(grid.isEmpty(leaf)).isFalse();
                assertThat(grid.leafRange(leaf).contains(t)).as("%s in leaf %d of %s", t, leaf, range).isTrue();
                if (leaf > 0 && !grid.isEmpty(leaf - 1)) {
                    assertThat(grid.leafRange(leaf - 1).contains(t)).isFalse();
                }
            }
        }
    }
}
