package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamo §4.5/§5: a get brings replicas that returned stale versions up to date, after answering. */
class ReadRepairTest {
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;

    @TempDir
    Path dir;
    TestCluster cluster;
    final byte[] key = bytes("profile:dana");

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void a_replica_that_missed_a_write_is_repaired_by_the_next_read() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        cluster.kv("n1").put(key, null, bytes("v1"), new RequestOptions(0, 3, 0));
        String context = cluster.kv("n1").get(key, DEFAULTS).context();
        cluster.isolate("n3");
        cluster.kv("n1").put(key, context, bytes("v2"), DEFAULTS);
        cluster.network.healAll();
        assertThat(liveStrings(cluster.stored("n3", key))).containsExactly("v1");

        assertThat(strings(cluster.kv("n2").get(key, new RequestOptions(3, 0, 0)))).containsExactly("v2");

        TestCluster.eventually("n3 repaired", () -> liveStrings(cluster.stored("n3", key)).equals(List.of("v2")));
        assertThat(cluster.node("n2").listener().repaired).containsExactly("n3");
    }

    @Test
    void the_stale_local_replica_of_the_coordinator_is_repaired_too() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        cluster.isolate("n3");
        cluster.kv("n1").put(key, null, bytes("v1"), DEFAULTS);
        cluster.network.healAll();

        // R=2 may be met by n3 itself and one other: the answer already merges both
        assertThat(strings(cluster.kv("n3").get(key, DEFAULTS))).containsExactly("v1");

        TestCluster.eventually("n3 repaired", () -> liveStrings(cluster.stored("n3", key)).equals(List.of("v1")));
        assertThat(cluster.node("n3").listener().repaired).containsExactly("n3");
    }

    @Test
    void replicas_that_agree_are_left_alone() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        cluster.kv("n1").put(key, null, bytes("v1"), new RequestOptions(0, 3, 0));

        cluster.kv("n2").get(key, DEFAULTS);

        RecordingListener listener = cluster.node("n2").listener();
        TestCluster.eventually("the repair check ran", () -> listener.repairChecks.get() == 1);
        assertThat(listener.repaired).isEmpty();
    }

    @Test
    void read_repair_can_be_switched_off() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults().withReadRepair(false));
        cluster.isolate("n3");
        cluster.kv("n1").put(key, null, bytes("v1"), DEFAULTS);
        cluster.network.healAll();

        assertThat(strings(cluster.kv("n1").get(key, new RequestOptions(3, 0, 0)))).containsExactly("v1");

        // nothing was scheduled: with R=3 every answer was in before get returned
        assertThat(cluster.node("n1").listener().repairChecks.get()).isZero();
        assertThat(cluster.stored("n3", key).isEmpty()).isTrue();
    }
}
