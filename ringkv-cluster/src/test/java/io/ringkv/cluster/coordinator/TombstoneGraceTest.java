package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.replica.TestClock;
import io.ringkv.storage.StorageOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tombstone grace-period contract (docs/design/versioning.md, "Deletes"): compaction purges a
 * tombstone-only key once its newest tombstone is older than the grace period, so every replica
 * must be repaired within the grace period of a delete. Kept: a replica that missed the delete
 * and is read-repaired in time deletes too, and stays deleted after the purge. Broken: a replica
 * still missing the delete when the others purge brings the value back (there is no
 * anti-entropy yet to guarantee the repair, issue 11).
 */
class TombstoneGraceTest {
    static final long GRACE_MILLIS = StorageOptions.builder(Path.of(".")).build().tombstoneGracePeriodMillis();
    static final RequestOptions ALL = new RequestOptions(3, 3, 0);

    @TempDir
    Path dir;
    TestCluster cluster;
    final TestClock clock = new TestClock(1_800_000_000_000L);

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void a_replica_repaired_within_the_grace_period_stays_deleted_after_the_purge() {
        byte[] key = deletedWhileNode3WasCut();
        // within the grace period: the tombstone wins everywhere it reaches, and read repair carries it to n3
        GetResult afterDelete = cluster.kv("n1").get(key, ALL);
        assertThat(afterDelete.values()).isEmpty();
        TestCluster.eventually("n3 holds the tombstone", () -> cluster.stored("n3", key).isTombstoneOnly());

        purgeEverywhereAfterTheGracePeriod();

        for (String node : List.of("n1", "n2", "n3")) {
            assertThat(cluster.stored(node, key)).as("%s purged the tombstone", node).isEqualTo(io.ringkv.core.version.Siblings.EMPTY);
        }
        assertThat(cluster.kv("n2").get(key, ALL).values()).isEmpty();
    }

    @Test
    void a_replica_still_missing_the_delete_when_the_others_purge_brings_the_value_back() {
        byte[] key = deletedWhileNode3WasCut();
        assertThat(liveStrings(cluster.stored("n3", key))).as("n3 never saw the delete").containsExactly("cart");

        purgeEverywhereAfterTheGracePeriod();

        // the contract was broken (no repair of n3 within the grace period): the deleted value returns
        assertThat(strings(cluster.kv("n1").get(key, ALL))).containsExactly("cart");
    }

    /** A key written to all three, then deleted through n1 while n3 is cut off (w = 2). */
    private byte[] deletedWhileNode3WasCut() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults()
                .withClocks(Map.<String, Clock>of("n1", clock, "n2", clock, "n3", clock)).withReadRepair(true));
        byte[] key = bytes("grace");
        String context = cluster.kv("n1").put(key, null, bytes("cart"), ALL).context();
        cluster.isolate("n3");
        cluster.kv("n1").delete(key, context, new RequestOptions(0, 2, 0));
        cluster.network.healAll();
        return key;
    }

    private void purgeEverywhereAfterTheGracePeriod() {
        clock.advanceMillis(GRACE_MILLIS + 60_000);
        for (String node : List.of("n1", "n2", "n3")) {
            cluster.node(node).store().engine().flush();
            cluster.node(node).store().engine().compactAll();
        }
    }
}
