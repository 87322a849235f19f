package io.ringkv.cluster.antientropy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.replica.TestClock;
import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.Versioned;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamo §4.7, "Handling permanent failures: replica synchronization": replicas compare Merkle
 * trees per key range and exchange only what differs, merged by the version rules.
 */
class AntiEntropyRepairTest {
    static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path dir;
    AeCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] key(String s) {
        return s.getBytes(UTF_8);
    }

    static Versioned put(String actor, long counter, String value, long timestamp) {
        return Versioned.of(CausalContext.EMPTY, new Dot(actor, counter), value.getBytes(UTF_8), timestamp);
    }

    /** Writes {@code version} of {@code k} to the listed nodes' stores only. */
    void write(byte[] k, Versioned version, List<String> on) {
        for (String id : on) {
            cluster.store(id).apply(k, version);
        }
    }

    static List<String> live(Siblings s) {
        return s.liveValues().stream().map(b -> new String(b, UTF_8)).sorted().toList();
    }

    @Test
    void a_replica_missing_some_keys_converges() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3"), 3);
        List<byte[]> everywhere = new ArrayList<>();
        List<byte[]> missedByN3 = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] k = key("k" + i);
            boolean missed = i % 10 == 0;
            write(k, put("n1~a", i + 1, "v" + i, T0), missed ? List.of("n1", "n2") : List.of("n1", "n2", "n3"));
            (missed ? missedByN3 : everywhere).add(k);
        }
        assertThat(cluster.stored("n3", missedByN3.getFirst())).isEqualTo(Siblings.EMPTY);

        RepairProgress done = cluster.repair("n3");

        assertThat(done.state()).isEqualTo(RepairProgress.State.DONE);
        for (byte[] k : missedByN3) {
            assertThat(cluster.stored("n3", k)).as(new String(k, UTF_8)).isEqualTo(cluster.stored("n1", k));
        }
        // taken from the first replica asked; the second then agrees with n3 at the root
        assertThat(done.keysExchanged()).isEqualTo(missedByN3.size());
        RepairProgress again = cluster.repair("n3");
        assertThat(again.keysExchanged()).as("nothing left to exchange").isZero();
        assertThat(again.rangesDiffering()).isZero();
    }

    @Test
    void a_wiped_replica_regains_every_key_it_replicates() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3", "n4"), 3);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] k = key("user:" + i);
            keys.add(k);
            write(k, put("n1~a", i + 1, "v" + i, T0 + i), cluster.replicasOf(k));
        }
        cluster.restart("n2", true);
        long ownedByN2 = keys.stream().filter(k -> cluster.replicasOf(k).contains("n2")).count();
        assertThat(ownedByN2).isGreaterThan(100);
        assertThat(keys.stream().filter(k -> !cluster.stored("n2", k).isEmpty()).count()).isZero();

        RepairProgress done = cluster.repair("n2");

        assertThat(done.state()).isEqualTo(RepairProgress.State.DONE);
        for (byte[] k : keys) {
            List<String> replicas = cluster.replicasOf(k);
            if (replicas.contains("n2")) {
                String other = replicas.stream().filter(r -> !r.equals("n2")).findFirst().orElseThrow();
                assertThat(cluster.stored("n2", k)).as(new String(k, UTF_8)).isEqualTo(cluster.stored(other, k));
            } else {
                assertThat(cluster.stored("n2", k)).as("n2 is given no key it does not replicate").isEqualTo(Siblings.EMPTY);
            }
        }
    }

    @Test
    void concurrent_versions_on_two_replicas_both_survive_as_siblings() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3"), 3);
        byte[] k = key("cart");
        write(k, put("n1~a", 1, "from-n1", T0), List.of("n1"));
        write(k, put("n2~b", 1, "from-n2", T0 + 5), List.of("n2"));

        cluster.repair("n1");
        for (String node : List.of("n1", "n2")) {
            assertThat(live(cluster.stored(node, k))).as(node).containsExactly("from-n1", "from-n2");
        }
        // n3 may have been compared before n2 in that round; the next round gives it the join
        cluster.repair("n1");
        for (String node : List.of("n1", "n2", "n3")) {
            assertThat(live(cluster.stored(node, k))).as(node).containsExactly("from-n1", "from-n2");
        }
    }

    @Test
    void a_delete_missed_by_one_replica_is_repaired_and_the_value_never_returns_after_the_purge() {
        TestClock clock = new TestClock(T0);
        long grace = 60_000;
        cluster = new AeCluster(dir, List.of("n1", "n2", "n3"), 3,
                AntiEntropyConfig.defaults().withBackground(false).withThrottle(0).withPurgeMargin(1_000), clock, grace);
        byte[] k = key("deleted");
        Versioned value = put("n1~a", 1, "secret", T0);
        write(k, value, List.of("n1", "n2", "n3"));
        clock.advanceMillis(10);
        Versioned tombstone = Versioned.tombstone(Siblings.of(value).readContext(), new Dot("n1~a", 2), clock.millis());
        write(k, tombstone, List.of("n1", "n2")); // n3 was down during the delete

        // Past the grace period but before any repair: no tombstone goes anywhere.
        clock.advanceMillis(grace + 5_000);
        compactEverywhere();
        assertThat(cluster.stored("n1", k).isTombstoneOnly()).as("kept: no repair since the delete").isTrue();

        // Two complete rounds on n1: the first carries the tombstone to n3, the second proves
        // every replica holds what any held when the first began.
        RepairProgress first = cluster.repair("n1");
        assertThat(first.state()).isEqualTo(RepairProgress.State.DONE);
        assertThat(cluster.stored("n3", k).isTombstoneOnly()).as("n3 repaired by the tombstone").isTrue();
        compactEverywhere();
        assertThat(cluster.stored("n1", k).isTombstoneOnly()).as("one round is not enough to purge").isTrue();
        clock.advanceMillis(10);
        cluster.repair("n1");
        // The engine counts the grace period from the key's last local write, and the repair
        // merged n3's old value into n1 (superseded at once): wait for it again.
        clock.advanceMillis(grace + 1_000);
        compactEverywhere();

        assertThat(cluster.stored("n1", k)).as("n1 purged after two rounds and the grace period").isEqualTo(Siblings.EMPTY);
        for (String node : List.of("n1", "n2", "n3")) {
            assertThat(live(cluster.stored(node, k))).as(node).isEmpty();
        }
        // Later repairs from any side never bring the value back.
        for (String node : List.of("n2", "n3", "n1")) {
            cluster.repair(node);
        }
        for (String node : List.of("n1", "n2", "n3")) {
            assertThat(live(cluster.stored(node, k))).as(node + " after more repairs").isEmpty();
        }
    }

    @Test
    void a_tombstone_written_after_the_horizon_is_kept() {
        TestClock clock = new TestClock(T0);
        cluster = new AeCluster(dir, List.of("n1", "n2", "n3"), 3,
                AntiEntropyConfig.defaults().withBackground(false).withThrottle(0).withPurgeMargin(1_000), clock, 1_000);
        cluster.repair("n1");
        clock.advanceMillis(10);
        cluster.repair("n1"); // horizon: the first round's start, T0
        byte[] k = key("late");
        Versioned value = put("n1~a", 1, "v", clock.millis());
        write(k, value, List.of("n1", "n2", "n3"));
        write(k, Versioned.tombstone(Siblings.of(value).readContext(), new Dot("n1~a", 2), clock.millis()), List.of("n1"));
        clock.advanceMillis(60_000);
        compactEverywhere();
        assertThat(cluster.stored("n1", k).isTombstoneOnly()).as("written after the horizon: kept").isTrue();
    }

    @Test
    void equal_replicas_exchange_only_their_roots() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3"), 3);
        for (int i = 0; i < 500; i++) {
            byte[] k = key("same" + i);
            write(k, put("n1~a", i + 1, "v" + i, T0), List.of("n1", "n2", "n3"));
        }

        RepairProgress done = cluster.repair("n1");

        assertThat(done.rangesDiffering()).isZero();
        assertThat(done.keysExchanged()).isZero();
        // per range and peer: one root request (37 bytes) and its reply (9 bytes)
        assertThat(done.bytesExchanged()).isEqualTo(done.rangesTotal() * 2L * (37 + 9));
    }

    @Test
    void a_peer_whose_ring_differs_is_skipped_not_mis_repaired() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3", "n4"), 3);
        // n3 believes in another ring: the same nodes joined in another order own other tokens.
        BalancedTokenAllocator allocator = new BalancedTokenAllocator(16);
        Ring other = Ring.empty();
        for (String id : List.of("n4", "n3", "n2", "n1")) {
            other = allocator.join(other, Member.of(id + ""));
        }
        assertThat(other).isNotEqualTo(cluster.ring);
        cluster.node("n3").view().ring(other);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] k = key("x" + i);
            keys.add(k);
            write(k, put("n1~a", i + 1, "v" + i, T0), List.of("n1"));
        }

        RepairProgress done = cluster.repair("n1");

        assertThat(done.state()).isEqualTo(RepairProgress.State.FAILED);
        assertThat(done.error()).contains("ring differs");
        Ring n3Ring = other;
        for (byte[] k : keys) {
            if (!cluster.stored("n3", k).isEmpty()) {
                assertThat(n3Ring.preferenceList(k, cluster.strategy).replicas()).as("n3 got only keys its ring gives it").contains("n3");
                assertThat(n3Ring.preferenceList(k, cluster.strategy).range())
                        .isEqualTo(cluster.ring.preferenceList(k, cluster.strategy).range());
            }
        }
        // n2 agrees with n1: it received n1's keys of their shared ranges
        long toN2 = keys.stream().filter(k -> cluster.replicasOf(k).containsAll(List.of("n1", "n2"))).count();
        assertThat(keys.stream().filter(k -> !cluster.stored("n2", k).isEmpty()).count()).isEqualTo(toN2);
    }

    @Test
    void repair_progress_counts_ranges_keys_and_bytes() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3"), 3);
        byte[] a = key("only-on-n2");
        write(a, put("n2~b", 1, "x", T0), List.of("n2"));

        RepairProgress done = cluster.repair("n1");

        assertThat(done.trigger()).isEqualTo("manual");
        assertThat(done.scope()).isEqualTo("all ranges");
        assertThat(done.rangesTotal()).isEqualTo(cluster.ring.tokenCount()); // N = 3 of 3 nodes: every range
        assertThat(done.rangesDone()).isEqualTo(done.rangesTotal());
        assertThat(done.rangesDiffering()).isEqualTo(1);
        assertThat(done.keysExchanged()).isEqualTo(2); // pulled from n2, pushed to n3
        assertThat(done.bytesExchanged()).isGreaterThan(done.rangesTotal() * 2L * 46);
        assertThat(done.elapsedMillis()).isGreaterThanOrEqualTo(0);
        assertThat(cluster.ae("n1").repairs()).extracting(RepairProgress::id).containsExactly(done.id());

        // a scoped repair covers only the ranges overlapping the asked range
        var range = cluster.ring.preferenceList(a, cluster.strategy).range();
        RepairProgress scoped = cluster.repair("n1", Optional.of(range));
        assertThat(scoped.scope()).isEqualTo(range.toString());
        assertThat(scoped.rangesTotal()).isEqualTo(1);

        for (int i = 0; i < AntiEntropy.RUNS_KEPT + 2; i++) {
            cluster.repair("n1", Optional.of(range));
        }
        List<RepairProgress> kept = cluster.ae("n1").repairs();
        assertThat(kept).hasSize(AntiEntropy.RUNS_KEPT);
        assertThat(kept.getFirst().id()).isGreaterThan(kept.getLast().id());
        assertThat(cluster.ae("n1").repair(done.id())).as("the oldest runs are forgotten").isEmpty();
    }

    @Test
    void a_down_peer_leaves_its_ranges_unrepaired_and_the_run_failed() {
        cluster = AeCluster.of(dir, List.of("n1", "n2", "n3"), 3);
        cluster.node("n1").view().down.add("n3");
        RepairProgress done = cluster.repair("n1");
        assertThat(done.state()).isEqualTo(RepairProgress.State.FAILED);
        assertThat(done.error()).contains("with a replica down");
        assertThat(done.rangesDone()).isEqualTo(done.rangesTotal());
    }

    private int filler;

    /** Flushes and compacts every store; a fresh filler key makes a second table, so the compaction runs. */
    private void compactEverywhere() {
        filler++;
        for (AeCluster.Node n : cluster.nodes.values()) {
            n.store().apply(key("filler-" + filler), put("f~f", filler, "f", T0));
            n.store().engine().flush();
            n.store().engine().compactAll();
        }
    }
}
