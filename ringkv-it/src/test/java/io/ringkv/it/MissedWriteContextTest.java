package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.VectorClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/design/versioning.md, "Contexts are exact": a read's context counts each returned version's
 * dot in as a clock entry, so {@code node1:k} claims every event of node1 up to k. A replica that
 * missed one of node1's writes and then received a later, concurrent one must not hand out a
 * context covering the missed write without its value: a client writing with that context
 * would silently supersede a sibling it never saw (a lost update). The coordinator prevents it
 * by replicating its merged sibling set, not only the new version.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class MissedWriteContextTest {

    @Test
    void aReplicaThatMissedAWriteNeverHandsOutAContextCoveringItWithoutItsValue(LocalClusterProcesses cluster) {
        String key = "missed-sibling";
        // A is written through node1 while node3 is dead: node3 misses it.
        cluster.kill9(3);
        Reply a = cluster.client(1).put(key, "A", null, 2);
        assertThat(a.status()).as("A: %s", a).isEqualTo(200);
        CausalContext contextOfA = cluster.settings().contexts().decode(a.context());
        VectorClock.Entry dotOfA = contextOfA.past().entries().getFirst(); // A's own write, the only event it saw
        cluster.restart(3);
        cluster.awaitConverged();

        // B, concurrent with A (no context), through node1 again, acknowledged by all three.
        Reply b = cluster.client(1).put(key, "B", null, 3);
        assertThat(b.status()).as("B: %s", b).isEqualTo(200);

        // What node3 alone serves: node1's counter for B is above A's, so the context covers A.
        Reply own = OwnReplicaRead.read(cluster, 3, key);
        CausalContext served = cluster.settings().contexts().decode(own.context());
        if (served.contains(dotOfA.nodeId(), dotOfA.counter())) {
            assertThat(own.stringValues())
                    .as("node3 serves context %s, which covers A %s, so it must also serve A (A was never superseded)",
                            served, contextOfA)
                    .contains("A");
        }
        assertThat(own.stringValues()).contains("B");
    }
}
