package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.NotReadyException;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that does not know the ring (ClusterView#knowsRing) coordinates nothing and stores nothing. */
class NotReadyTest {
    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void a_node_that_has_not_heard_the_ring_refuses_gets_puts_deletes_and_forwarded_writes() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("k");
        cluster.node("n3").view().forgetRing(true);

        assertThatThrownBy(() -> cluster.kv("n3").put(key, null, bytes("v"), new RequestOptions(0, 1, 0)))
                .isInstanceOf(NotReadyException.class).hasMessageContaining("has not heard the ring");
        assertThatThrownBy(() -> cluster.kv("n3").get(key, RequestOptions.DEFAULTS)).isInstanceOf(NotReadyException.class);
        assertThatThrownBy(() -> cluster.kv("n3").delete(key, null, RequestOptions.DEFAULTS)).isInstanceOf(NotReadyException.class);
        assertThat(cluster.stored("n3", key).isEmpty()).isTrue();

        cluster.node("n3").view().forgetRing(false);
        cluster.kv("n3").put(key, null, bytes("v"), RequestOptions.DEFAULTS);
        assertThat(strings(cluster.kv("n1").get(key, new RequestOptions(3, 0, 0)))).containsExactly("v");
    }
}
