package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.replica.TestClock;
import io.ringkv.core.version.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under last write wins the newest timestamp wins across coordinators; concurrent updates are lost by design. */
class LastWriteWinsTest {
    static final RequestOptions ALL = new RequestOptions(3, 3, 0);

    @TempDir
    Path dir;
    TestCluster cluster;
    final TestClock n1Clock = new TestClock(1_700_000_000_000L);
    final TestClock n2Clock = new TestClock(1_700_000_000_000L);
    final byte[] key = bytes("counter");

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults()
                .withPolicy(ConflictPolicy.LWW).withClocks(Map.of("n1", n1Clock, "n2", n2Clock)));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void concurrent_writes_resolve_to_the_newest_timestamp_whatever_the_order() {
        n2Clock.advanceMillis(10);
        cluster.kv("n2").put(key, null, bytes("newer"), ALL);
        cluster.kv("n1").put(key, null, bytes("older"), ALL); // written later, but its clock is behind

        GetResult got = cluster.kv("n3").get(key, ALL);
        assertThat(strings(got)).containsExactly("newer");
        assertThat(got.context()).isNotNull();
        for (String id : List.of("n1", "n2", "n3")) {
            assertThat(liveStrings(cluster.stored(id, key))).containsExactly("newer");
        }
    }

    @Test
    void a_newer_delete_wins_and_the_key_reads_absent() {
        cluster.kv("n1").put(key, null, bytes("v"), ALL);
        n2Clock.advanceMillis(5);
        cluster.kv("n2").delete(key, null, ALL);

        GetResult got = cluster.kv("n3").get(key, RequestOptions.DEFAULTS);
        assertThat(got.isAbsent()).isTrue();
        assertThat(got.context()).isNotNull();
    }

    @Test
    void read_repair_sends_the_winner_to_a_replica_that_missed_it() {
        cluster.kv("n1").put(key, null, bytes("old"), ALL);
        cluster.isolate("n3");
        n2Clock.advanceMillis(5);
        cluster.kv("n2").put(key, null, bytes("new"), RequestOptions.DEFAULTS);
        cluster.network.healAll();

        assertThat(strings(cluster.kv("n1").get(key, ALL))).containsExactly("new");

        TestCluster.eventually("n3 repaired", () -> liveStrings(cluster.stored("n3", key)).equals(List.of("new")));
    }
}
