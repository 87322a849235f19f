package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumMode;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.core.version.Siblings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamo §4.6 over five nodes with N = 3: writes stay available while replicas are down or
 * silent, because fallback nodes store hints for them, and the hints reach the replicas once
 * they are back, with no client reads. docs/design/hinted-handoff.md.
 */
class SloppyQuorumTest {
    static final HandoffConfig FAST = new HandoffConfig(true, true, 100, 3_600_000, 1L << 30, 1L << 30, 50);
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;
    static final RequestOptions STRICT = new RequestOptions(0, 0, 0, QuorumMode.STRICT);

    @TempDir
    Path dir;
    TestCluster cluster;
    byte[] key;
    List<String> replicas;
    List<String> others;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3", "n4", "n5"), TestCluster.Settings.defaults().withHandoff(FAST));
        key = bytes("cart:hinted");
        replicas = cluster.replicasOf(key);
        others = List.of("n1", "n2", "n3", "n4", "n5").stream().filter(id -> !replicas.contains(id)).toList();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void with_two_replicas_down_a_write_is_acknowledged_by_a_hint_and_handed_over_once_they_are_back() {
        String coordinator = replicas.get(0);
        cluster.takeDown(replicas.get(1));
        cluster.takeDown(replicas.get(2));

        PutResult put = cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS);

        assertThat(put.replicas()).as("only the coordinator's own replica").isEqualTo(1);
        assertThat(put.hints()).as("the first fallback's hint made W = 2").isEqualTo(1);
        TestCluster.eventually("both fallbacks hold a hint, one for each down replica", () ->
                others.stream().allMatch(f -> cluster.node(f).hints().stats().values().stream().mapToLong(s -> s.pending()).sum() == 1));
        for (String fallback : others) {
            assertThat(cluster.stored(fallback, key).isEmpty()).as("a hint is not the fallback's own data: %s", fallback).isTrue();
        }

        cluster.healAll();

        TestCluster.eventually("every replica holds the write, with no client read", () -> replicas.stream()
                .allMatch(id -> liveStrings(cluster.stored(id, key)).equals(List.of("book"))));
        TestCluster.eventually("the hint queues are empty", () -> others.stream()
                .allMatch(f -> cluster.node(f).hints().totalBytes() == 0));
        long delivered = others.stream().mapToLong(f -> cluster.node(f).hints().stats().values().stream()
                .mapToLong(s -> s.delivered()).sum()).sum();
        assertThat(delivered).isEqualTo(2);
    }

    @Test
    void a_strict_quorum_counts_only_replicas_but_still_leaves_hints() {
        String coordinator = replicas.get(0);
        cluster.takeDown(replicas.get(1));
        cluster.takeDown(replicas.get(2));

        assertThatThrownBy(() -> cluster.kv(coordinator).put(key, null, bytes("book"), STRICT))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> assertThat(e.acknowledged()).isEqualTo(1));

        TestCluster.eventually("the hints were stored all the same", () -> others.stream()
                .allMatch(f -> cluster.node(f).hints().totalBytes() > 0));
        cluster.healAll();
        TestCluster.eventually("and handed over", () -> replicas.stream()
                .allMatch(id -> liveStrings(cluster.stored(id, key)).equals(List.of("book"))));
    }

    @Test
    void a_node_outside_the_replicas_coordinates_itself_when_none_can_be_reached() {
        replicas.forEach(cluster::takeDown);
        String outsider = others.get(0);

        PutResult put = cluster.kv(outsider).put(key, null, bytes("always writable"), DEFAULTS);

        assertThat(put.replicas()).isZero();
        assertThat(put.hints()).isEqualTo(2);
        assertThat(cluster.node(outsider).listener().coordinatedForUnreachable.get()).isEqualTo(1);

        cluster.healAll();
        TestCluster.eventually("all three replicas got it from the hints", () -> replicas.stream()
                .allMatch(id -> liveStrings(cluster.stored(id, key)).equals(List.of("always writable"))));
        TestCluster.eventually("the hint queues are empty", () -> others.stream()
                .allMatch(f -> cluster.node(f).hints().totalBytes() == 0));
    }

    @Test
    void a_replica_that_is_silent_but_believed_up_gets_a_hint_after_hint_after() {
        String coordinator = replicas.get(0);
        cluster.isolate(replicas.get(1)); // cut, but nobody's failure detector knows yet
        cluster.isolate(replicas.get(2));

        long start = System.nanoTime();
        PutResult put = cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(put.hints()).isEqualTo(1);
        assertThat(millis).as("answered after hintAfter, not after the %d ms timeout", TestCluster.TIMEOUT_MILLIS)
                .isLessThan(TestCluster.TIMEOUT_MILLIS);

        // Now the silence is known: the next write hints at once.
        PutResult next = cluster.kv(coordinator).put(bytes("cart:next"), null, bytes("pen"), DEFAULTS);
        assertThat(next.acknowledgements()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_sloppy_read_asks_fallbacks_for_their_hints_and_never_repairs_them() {
        String coordinator = replicas.get(0);
        cluster.takeDown(replicas.get(1));
        cluster.takeDown(replicas.get(2));
        cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS);
        String reader = others.get(0); // R = 2 with one replica reachable: a fallback's answer must make up the second

        GetResult got = cluster.kv(reader).get(key, new RequestOptions(2, 0, 0));
        assertThat(strings(got)).containsExactly("book");
        assertThatThrownBy(() -> cluster.kv(reader).get(key, new RequestOptions(2, 0, 0, QuorumMode.STRICT)))
                .isInstanceOf(QuorumNotMetException.class);
        TestCluster.sleep(TestCluster.TIMEOUT_MILLIS + 100); // read repair would be done by now
        for (String fallback : others) {
            assertThat(cluster.stored(fallback, key)).as("nothing repaired onto fallback %s", fallback).isEqualTo(Siblings.EMPTY);
        }
    }

    @Test
    void hints_are_merged_per_key_so_two_writes_for_a_down_replica_travel_as_one_set() {
        String coordinator = replicas.get(0);
        cluster.takeDown(replicas.get(1));
        cluster.takeDown(replicas.get(2));
        PutResult first = cluster.kv(coordinator).put(key, null, bytes("v1"), DEFAULTS);
        cluster.kv(others.get(0)).put(key, null, bytes("concurrent"), DEFAULTS);
        cluster.kv(coordinator).put(key, first.context(), bytes("v2"), DEFAULTS);

        List<Siblings> held = others.stream().map(f -> cluster.node(f).hints().get(replicas.get(1), key))
                .flatMap(Optional::stream).toList();
        assertThat(held).as("one fallback holds one merged hint for the replica").hasSize(1);
        assertThat(liveStrings(held.getFirst())).containsExactlyInAnyOrder("v2", "concurrent");

        cluster.healAll();
        TestCluster.eventually("the down replicas end with both siblings", () -> replicas.stream()
                .allMatch(id -> liveStrings(cluster.stored(id, key)).stream().sorted().toList().equals(List.of("concurrent", "v2"))));
    }

    @Test
    void a_hint_older_than_the_window_is_dropped_not_delivered() {
        cluster.close();
        HandoffConfig shortWindow = new HandoffConfig(true, true, 100, 300, 1L << 30, 1L << 30, 50);
        cluster = new TestCluster(dir.resolve("short"), List.of("n1", "n2", "n3", "n4", "n5"),
                TestCluster.Settings.defaults().withHandoff(shortWindow));
        cluster.takeDown(replicas.get(1));
        cluster.takeDown(replicas.get(2));
        cluster.kv(replicas.get(0)).put(key, null, bytes("book"), DEFAULTS);

        TestCluster.eventually("both hints expired", () -> others.stream().mapToLong(f -> cluster.node(f).hints().stats()
                .values().stream().mapToLong(HintStore.TargetStats::expired).sum()).sum() == 2);
        cluster.healAll();
        TestCluster.sleep(300);
        assertThat(cluster.stored(replicas.get(1), key)).as("anti-entropy's job now, not handoff's").isEqualTo(Siblings.EMPTY);
    }
}
