package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dynamo §4.5 (read repair): a replica found stale by a read is brought up to date. The stale
 * replica's content is observed directly, with {@link OwnReplicaRead}.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class ReadRepairTest {
    static final String READ_REPAIR_METRIC = "ringkv_coordinator_read_repairs_total";

    @Test
    void aQuorumReadThatFindsAStaleReplicaBringsItUpToDate(LocalClusterProcesses cluster) {
        String key = "repair-me";
        Reply v1 = cluster.client(1).put(key, "v1", null, 3);
        assertThat(v1.status()).as("v1 on all three replicas: %s", v1).isEqualTo(200);

        // Node 3 misses v2: it is dead while v2 is written (a SIGSTOPped node would not do, it
        // would apply the write from its socket buffer when resumed). ringkv has no hinted
        // handoff or anti-entropy in this version, so only a read can repair it.
        cluster.kill9(3);
        Reply v2 = cluster.client(1).put(key, "v2", v1.context(), 2);
        assertThat(v2.status()).as("v2 with node3 dead: %s", v2).isEqualTo(200);
        cluster.restart(3);
        cluster.awaitConverged();
        assertThat(OwnReplicaRead.read(cluster, 3, key).stringValues()).as("node3's own replica before the repair").containsExactly("v1");

        double repairsBefore = repairsSent(cluster.client(1));
        Reply read = cluster.client(1).get(key, 3);
        assertThat(read.status()).as("r=3 read: %s", read).isEqualTo(200);
        assertThat(read.stringValues()).containsExactly("v2");
        // The repair is asynchronous: wait until the coordinator has sent it.
        Await.until(Duration.ofSeconds(10), "node1 to count a read repair sent",
                () -> repairsSent(cluster.client(1)) > repairsBefore);
        List<String> repaired = Await.until(Duration.ofSeconds(15), "node3's own replica to hold v2", () -> {
            List<String> values = OwnReplicaRead.read(cluster, 3, key).stringValues();
            return values.equals(List.of("v2")) ? Optional.of(values) : Optional.empty();
        });
        assertThat(repaired).containsExactly("v2");
    }

    private static double repairsSent(KvClient coordinator) {
        return Metrics.sum(coordinator.metrics(), READ_REPAIR_METRIC, "outcome=\"sent\"");
    }
}
