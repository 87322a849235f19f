package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.api.StoreFailureException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose storage fails (here: its engine closed under it) is a replica that does not answer. */
class StoreFailureTest {
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;

    @TempDir
    Path dir;
    TestCluster cluster;
    final byte[] key = bytes("k");

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        cluster.kv("n1").put(key, null, bytes("v"), new RequestOptions(0, 3, 0));
        cluster.node("n1").store().close();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void a_write_coordinated_on_a_failed_store_is_a_store_failure() {
        assertThatThrownBy(() -> cluster.kv("n1").put(key, null, bytes("w"), DEFAULTS))
                .isInstanceOf(StoreFailureException.class).hasMessageStartingWith("write failed");
    }

    @Test
    void a_read_coordinated_on_a_failed_store_is_served_by_the_other_replicas() {
        assertThat(strings(cluster.kv("n1").get(key, DEFAULTS))).containsExactly("v");
        assertThatThrownBy(() -> cluster.kv("n1").get(key, new RequestOptions(3, 0, 0)))
                .isInstanceOf(StoreFailureException.class).hasMessageStartingWith("read failed");
    }

    @Test
    void a_replica_with_a_failed_store_does_not_acknowledge() {
        assertThat(cluster.kv("n2").put(key, null, bytes("w"), DEFAULTS).acknowledgements()).isEqualTo(2);
        assertThatThrownBy(() -> cluster.kv("n2").put(key, null, bytes("x"), new RequestOptions(0, 3, 0)))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> assertThat(e.acknowledged()).isEqualTo(2));
        assertThatThrownBy(() -> cluster.kv("n2").get(key, new RequestOptions(3, 0, 0)))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> assertThat(e.acknowledged()).isEqualTo(2));
    }
}
