package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumMode;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.core.ring.PreferenceList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorums counted per data center (docs/design/coordinator.md, "Data centers") over six nodes
 * in one JVM: a1..a3 in dc1, b1..b3 in dc2, two replicas of every key in each, and the default
 * consistency a multi-data-center node gets, a local quorum. The in-memory network cuts the
 * links between the data centers the way a firewall does: packets vanish, nobody is told.
 */
class DataCenterQuorumTest {
    static final List<String> DC1 = List.of("a1", "a2", "a3");
    static final List<String> DC2 = List.of("b1", "b2", "b3");
    static final TestCluster.DataCenters TWO_BY_TWO = new TestCluster.DataCenters(
            Map.of("a1", "dc1", "a2", "dc1", "a3", "dc1", "b1", "dc2", "b2", "dc2", "b3", "dc2"),
            Map.of("dc1", 2, "dc2", 2), Consistency.LOCAL_QUORUM);
    static final HandoffConfig FAST_HINTS = new HandoffConfig(true, true, 100, 3_600_000, 1L << 30, 1L << 30, 50);
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;
    static final RequestOptions EACH = RequestOptions.of(Consistency.EACH_QUORUM);

    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(HandoffConfig handoff) {
        List<String> ids = List.of("a1", "b1", "a2", "b2", "a3", "b3");
        cluster = new TestCluster(dir, ids, TestCluster.Settings.defaults().withHandoff(handoff).withDataCenters(TWO_BY_TWO));
    }

    /** Every link between the two data centers dropped; nobody's failure detector told. */
    private void cutBetweenDataCenters() {
        for (String a : DC1) {
            for (String b : DC2) {
                cluster.partition(a, b);
            }
        }
    }

    private PreferenceList preferences(byte[] key) {
        return cluster.ring.preferenceList(key, cluster.strategy);
    }

    private static List<String> in(List<String> dc, List<String> nodes) {
        return nodes.stream().filter(dc::contains).toList();
    }

    private byte[] keyWhere(String prefix, Predicate<PreferenceList> test) {
        for (int i = 0; i < 100_000; i++) {
            byte[] key = bytes(prefix + "-" + i);
            if (test.test(preferences(key))) {
                return key;
            }
        }
        throw new IllegalStateException("no key found for " + prefix);
    }

    @Test
    void every_key_has_two_replicas_in_each_data_center() {
        start(HandoffConfig.STRICT);
        for (int i = 0; i < 200; i++) {
            List<String> replicas = cluster.replicasOf(bytes("k" + i));
            assertThat(in(DC1, replicas)).as("dc1 replicas of k%d", i).hasSize(2);
            assertThat(in(DC2, replicas)).as("dc2 replicas of k%d", i).hasSize(2);
        }
    }

    @Test
    void with_the_other_data_center_cut_off_a_local_quorum_writes_and_reads_and_an_each_quorum_does_not() {
        start(HandoffConfig.STRICT);
        byte[] key = bytes("dc:cart");
        List<String> replicas = cluster.replicasOf(key);
        List<String> local = in(DC1, replicas);
        String outsider = DC1.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
        cutBetweenDataCenters();

        PutResult put = cluster.kv(local.get(0)).put(key, null, bytes("book"), DEFAULTS);
        assertThat(put.replicas()).as("the two replicas in dc1 made the local quorum").isEqualTo(2);
        assertThat(put.hints()).isZero();

        for (String reader : List.of(local.get(1), outsider)) {
            assertThat(strings(cluster.kv(reader).get(key, DEFAULTS))).as("local quorum read through %s", reader)
                    .containsExactly("book");
        }

        assertThatThrownBy(() -> cluster.kv(local.get(0)).put(key, null, bytes("pen"), EACH))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.dataCenter()).contains("dc2");
                    assertThat(e.required()).isEqualTo(2);
                    assertThat(e.acknowledged()).isZero();
                    assertThat(e.getMessage()).contains("in data center dc2");
                });
        assertThatThrownBy(() -> cluster.kv(outsider).get(key, EACH))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> assertThat(e.dataCenter()).contains("dc2"));
        // A count of any replicas does not care where they are: dc1's two make w=2 ...
        assertThat(cluster.kv(local.get(0)).put(key, null, bytes("pencil"), new RequestOptions(0, 2, 0)).replicas()).isEqualTo(2);
        // ... but not w=3.
        assertThatThrownBy(() -> cluster.kv(local.get(0)).put(key, null, bytes("ink"), new RequestOptions(0, 3, 0)))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.dataCenter()).isEmpty();
                    assertThat(e.acknowledged()).isEqualTo(2);
                });
    }

    @Test
    void a_local_quorum_counts_only_its_own_data_center_however_many_others_acknowledge() {
        start(HandoffConfig.STRICT);
        byte[] key = bytes("dc:basket");
        List<String> local = in(DC1, cluster.replicasOf(key));
        cluster.takeDown(local.get(1));

        assertThatThrownBy(() -> cluster.kv(local.get(0)).put(key, null, bytes("plum"), DEFAULTS))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.dataCenter()).contains("dc1");
                    assertThat(e.required()).isEqualTo(2);
                    assertThat(e.acknowledged()).as("dc2's two acknowledgements do not count").isEqualTo(1);
                });
        assertThat(cluster.kv(local.get(0)).put(key, null, bytes("plum"), new RequestOptions(0, 3, 0)).replicas())
                .as("the same acknowledgements make a count of 3").isEqualTo(3);
        assertThatThrownBy(() -> cluster.kv(local.get(0)).put(key, null, bytes("fig"), EACH))
                .as("an each quorum needs dc1's majority too")
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> assertThat(e.dataCenter()).contains("dc1"));
    }

    @Test
    void a_hint_for_a_replica_goes_to_a_fallback_in_its_data_center_even_when_ring_order_says_otherwise() {
        start(FAST_HINTS);
        // A key whose first fallback in ring order is in dc2, while the replica to stand in for is in dc1.
        byte[] key = keyWhere("dc:hinted", p -> DC2.contains(p.fallbacks().get(0)));
        List<String> replicas = preferences(key).replicas();
        List<String> local = in(DC1, replicas);
        String dc1Fallback = DC1.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
        String dc2Fallback = DC2.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
        cluster.takeDown(local.get(1));

        PutResult put = cluster.kv(local.get(0)).put(key, null, bytes("kiwi"), DEFAULTS);

        assertThat(put.replicas()).isEqualTo(1);
        assertThat(put.hints()).as("the hint in dc1 made dc1's local quorum").isEqualTo(1);
        assertThat(cluster.node(dc1Fallback).hints().get(local.get(1), key)).as("hint on dc1's fallback").isPresent();
        assertThat(cluster.node(dc2Fallback).hints().stats()).as("no hint on dc2's fallback").isEmpty();

        cluster.healAll();
        TestCluster.eventually("the replica back in dc1 gets the write from its hint, with no read", () ->
                liveStrings(cluster.stored(local.get(1), key)).equals(List.of("kiwi")));
    }

    @Test
    void hints_held_outside_a_data_center_do_not_make_its_quorum_but_carry_the_write_there_after_the_cut() {
        start(FAST_HINTS);
        byte[] key = bytes("dc:letter");
        List<String> replicas = cluster.replicasOf(key);
        List<String> remote = in(DC2, replicas);
        String coordinator = in(DC1, replicas).get(0);
        cutBetweenDataCenters();
        DC2.forEach(b -> DC1.forEach(a -> cluster.node(a).view().markDown(b)));

        PutResult put = cluster.kv(coordinator).put(key, null, bytes("stamp"), DEFAULTS);
        assertThat(put.replicas()).isEqualTo(2);
        assertThatThrownBy(() -> cluster.kv(coordinator).put(key, put.context(), bytes("seal"), EACH))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.dataCenter()).as(e.getMessage()).contains("dc2");
                    assertThat(e.acknowledged()).as("dc1's hints for dc2's replicas count nowhere").isZero();
                });

        cluster.healAll();
        TestCluster.eventually("dc2's replicas converge from dc1's hints, with no read", () -> remote.stream()
                .allMatch(b -> liveStrings(cluster.stored(b, key)).equals(List.of("seal"))));
    }

    @Test
    void a_write_through_a_node_outside_the_replicas_is_forwarded_within_its_data_center_first() {
        start(HandoffConfig.STRICT);
        // The first replica in ring order is in dc2: forwarding there would time out during the cut.
        byte[] key = keyWhere("dc:forwarded", p -> DC2.contains(p.replicas().get(0)));
        List<String> replicas = preferences(key).replicas();
        String outsider = DC1.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
        cutBetweenDataCenters();

        PutResult put = cluster.kv(outsider).put(key, null, bytes("parcel"), DEFAULTS);

        assertThat(put.replicas()).as("a dc1 replica coordinated and counted dc1's local quorum").isEqualTo(2);
        for (String a : in(DC1, replicas)) {
            assertThat(liveStrings(cluster.stored(a, key))).containsExactly("parcel");
        }
    }

    @Test
    void a_number_and_a_quorum_per_data_center_together_are_refused() {
        start(HandoffConfig.STRICT);
        RequestOptions both = new RequestOptions(0, 2, 0, QuorumMode.DEFAULT, Consistency.LOCAL_QUORUM);
        assertThatThrownBy(() -> cluster.kv("a1").put(bytes("k"), null, bytes("v"), both))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("w and consistency local_quorum both given");
        assertThat(cluster.kv("a1").put(bytes("k"), null, bytes("v"),
                new RequestOptions(0, 2, 0, QuorumMode.DEFAULT, Consistency.COUNT)).replicas()).isEqualTo(2);
    }
}
