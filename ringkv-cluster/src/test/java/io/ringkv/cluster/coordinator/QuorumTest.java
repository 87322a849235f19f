package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamo §4.5: N=3, R=2, W=2 over three nodes, with replicas taken away by partitions and crashes. */
class QuorumTest {
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;

    @TempDir
    Path dir;
    TestCluster cluster;
    byte[] key;
    List<String> replicas;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        key = bytes("cart:alice");
        replicas = cluster.replicasOf(key);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void a_write_reaches_every_replica_and_any_node_reads_it() {
        PutResult put = cluster.kv("n1").put(key, null, bytes("book"), DEFAULTS);
        assertThat(put.acknowledgements()).isEqualTo(2);

        TestCluster.eventually("all three replicas hold the value", () -> replicas.stream()
                .allMatch(id -> liveStrings(cluster.stored(id, key)).equals(List.of("book"))));
        for (String id : List.of("n1", "n2", "n3")) {
            GetResult got = cluster.kv(id).get(key, DEFAULTS);
            assertThat(strings(got)).containsExactly("book");
            assertThat(got.context()).isEqualTo(put.context());
        }
    }

    @Test
    void w3_waits_for_all_three_acknowledgements() {
        PutResult put = cluster.kv("n2").put(key, null, bytes("book"), new RequestOptions(0, 3, 0));
        assertThat(put.acknowledgements()).isEqualTo(3);
        for (String id : replicas) {
            assertThat(liveStrings(cluster.stored(id, key))).containsExactly("book");
        }
    }

    @Test
    void writes_and_reads_succeed_with_one_replica_partitioned_away() {
        String coordinator = replicas.get(0);
        String cutOff = replicas.get(2);
        cluster.isolate(cutOff);

        PutResult put = cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS);
        assertThat(put.acknowledgements()).isEqualTo(2);
        GetResult got = cluster.kv(coordinator).get(key, DEFAULTS);
        assertThat(strings(got)).containsExactly("book");
        assertThat(cluster.stored(cutOff, key).isEmpty()).isTrue();
    }

    @Test
    void a_crashed_replica_fails_fast_and_the_others_make_the_quorum() {
        String crashed = replicas.get(1);
        cluster.node(crashed).transport().close();

        String coordinator = replicas.get(0);
        assertThat(cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS).acknowledgements()).isEqualTo(2);
        assertThat(strings(cluster.kv(coordinator).get(key, DEFAULTS))).containsExactly("book");
    }

    @Test
    void two_unreachable_replicas_fail_a_write_saying_one_acknowledged() {
        String coordinator = replicas.get(0);
        cluster.isolate(coordinator);

        assertThatThrownBy(() -> cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.required()).isEqualTo(2);
                    assertThat(e.acknowledged()).isEqualTo(1);
                    assertThat(e.operation()).isEqualTo("put");
                });
        assertThat(cluster.node(coordinator).listener().quorumNotMet).containsExactly("put 1/2");
        // the local write stays: a later write with its context would supersede it
        assertThat(liveStrings(cluster.stored(coordinator, key))).containsExactly("book");
    }

    @Test
    void two_unreachable_replicas_fail_a_read_and_a_delete() {
        String coordinator = replicas.get(0);
        cluster.kv(coordinator).put(key, null, bytes("book"), DEFAULTS);
        cluster.isolate(coordinator);

        assertThatThrownBy(() -> cluster.kv(coordinator).get(key, DEFAULTS))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.operation()).isEqualTo("get");
                    assertThat(e.required()).isEqualTo(2);
                    assertThat(e.acknowledged()).isEqualTo(1);
                });
        assertThatThrownBy(() -> cluster.kv(coordinator).delete(key, null, DEFAULTS))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                    assertThat(e.operation()).isEqualTo("delete");
                    assertThat(e.acknowledged()).isEqualTo(1);
                });
        // R=1 and W=1 still work from the one replica this node can reach: itself
        assertThat(strings(cluster.kv(coordinator).get(key, new RequestOptions(1, 0, 0)))).containsExactly("book");
    }

    @Test
    void r_and_w_are_validated_against_n() {
        ClusterKvService kv = cluster.kv("n1");
        assertThatThrownBy(() -> kv.get(key, new RequestOptions(5, 0, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("r must be between 1 and N=3, got 5");
        assertThatThrownBy(() -> kv.put(key, null, bytes("v"), new RequestOptions(0, 4, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("w must be between 1 and N=3, got 4");
        assertThatThrownBy(() -> kv.delete(key, null, new RequestOptions(0, -1, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("w must be between 1 and N=3, got -1");
        assertThatThrownBy(() -> kv.get(key, new RequestOptions(0, 0, -5)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("timeout must not be negative");
        assertThatThrownBy(() -> kv.put(key, "not a context", bytes("v"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("invalid context");
        assertThatThrownBy(() -> kv.put(new byte[0], null, bytes("v"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessage("key must not be empty");
        assertThatThrownBy(() -> kv.put(key, null, null, DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("value must not be null");
        assertThat(kv.replicationFactor()).isEqualTo(3);
    }

    @Test
    void an_oversized_key_is_an_invalid_request_not_a_storage_failure() {
        byte[] huge = new byte[70_000];
        assertThatThrownBy(() -> cluster.kv("n1").put(huge, null, bytes("v"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class);
    }
}
