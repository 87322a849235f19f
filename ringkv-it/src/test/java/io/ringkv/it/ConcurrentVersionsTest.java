package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.core.version.Actors;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Occurred;
import io.ringkv.core.version.VectorClock;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Versioning across coordinators (Dynamo §4.4), through the HTTP API of a 3-node cluster with
 * N = 3, R = W = 2: concurrent writes become siblings, a write with the merged context
 * resolves them, and the design notes' D1..D5 vector clock example happens as told.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class ConcurrentVersionsTest {
    /** The shared cluster's context codec, set by the test that reads contexts. */
    private ContextCodec contexts;

    @Test
    void concurrentWritesWithoutContextThroughDifferentCoordinatorsBecomeSiblingsAndAWriteWithTheirContextResolvesThem(
            LocalClusterProcesses cluster) throws Exception {
        String key = "cart-siblings";
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<Reply> fromNode1 = clients.submit(() -> putAfter(together, cluster.client(1), key, "from-node1"));
            Future<Reply> fromNode2 = clients.submit(() -> putAfter(together, cluster.client(2), key, "from-node2"));
            assertThat(fromNode1.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(fromNode2.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            clients.shutdownNow();
        }

        // Through the third node, at the default R = 2: R + W > N, so both writes are seen.
        Reply siblings = cluster.client(3).get(key);
        assertThat(siblings.status()).as("%s", siblings).isEqualTo(200);
        assertThat(siblings.stringValues()).containsExactlyInAnyOrder("from-node1", "from-node2");
        Reply raw = cluster.client(3).send("GET", "/api/v1/kv/" + key, null);
        assertThat(raw.status()).as("raw API on siblings: %s", raw).isEqualTo(300);

        Reply resolved = cluster.client(3).put(key, "merged", siblings.context());
        assertThat(resolved.status()).as("%s", resolved).isEqualTo(200);
        for (int k = 1; k <= 3; k++) {
            Reply after = cluster.client(k).get(key);
            assertThat(after.stringValues()).as("get through node%d after the resolving write: %s", k, after)
                    .containsExactly("merged");
        }
    }

    private static Reply putAfter(CyclicBarrier barrier, KvClient coordinator, String key, String value) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the two writers did not meet", e);
        }
        return coordinator.put(key, value);
    }

    /**
     * The design notes' example, with servers Sx, Sy and Sz as nodes 1, 2 and 3, each coordinating
     * the writes the notes send to it. No partition and no w = 1 is needed to make D3 and D4
     * conflict: a coordinator builds the new version from the context the client sends, not from
     * what it stores, so the client that writes D4 through Sz with D2's context has not seen D3
     * even if Sz already holds D3. Each node writes as an actor of its own start
     * ({@code node1~<incarnation>}) with a counter shared by every key it coordinates
     * (docs/design/versioning.md), so the test reads each actor as its node and checks the
     * relations the notes state (which entries exist, which counters are equal or grew), not the
     * literal 1, 2, 3.
     */
    @Test
    void designNotesVectorClockExampleD1ToD5AcrossThreeCoordinators(LocalClusterProcesses cluster) {
        String key = "d-example";
        contexts = cluster.settings().contexts();
        KvClient sx = cluster.client(1);
        KvClient sy = cluster.client(2);
        KvClient sz = cluster.client(3);

        // 1. A client writes D1 through Sx: D1([Sx, 1]).
        Reply d1Reply = written(sx.put(key, "D1", null));
        VectorClock d1 = clockOf(d1Reply);
        assertThat(nodes(d1)).containsExactly("node1");

        // 2. The client updates D1 to D2, again through Sx: D2([Sx, 2]).
        Reply d2Reply = written(sx.put(key, "D2", d1Reply.context()));
        VectorClock d2 = clockOf(d2Reply);
        assertThat(nodes(d2)).containsExactly("node1");
        assertThat(d2.counter("node1")).isGreaterThan(d1.counter("node1"));
        assertThat(cluster.client(2).get(key).stringValues()).containsExactly("D2");

        // 3. A client updates D2 to D3 through Sy: D3([Sx, 2], [Sy, 1]).
        String d2Context = d2Reply.context();
        VectorClock d3 = clockOf(written(sy.put(key, "D3", d2Context)));
        assertThat(nodes(d3)).containsExactly("node1", "node2");
        assertThat(d3.counter("node1")).isEqualTo(d2.counter("node1"));

        // 4. Another client, which also read D2, updates it to D4 through Sz: D4([Sx, 2], [Sz, 1]).
        VectorClock d4 = clockOf(written(sz.put(key, "D4", d2Context)));
        assertThat(d4.counter("node1")).isEqualTo(d2.counter("node1"));
        assertThat(d4.counter("node3")).isPositive();
        assertThat(d4.counter("node2")).as("D4's writer never saw D3 (Sy's event)").isZero();
        assertThat(d3.compare(d4)).isEqualTo(Occurred.CONCURRENT);

        // 5. A client reads D3 and D4 (through any node), reconciles them and writes D5 through Sx:
        //    D5([Sx, 3], [Sy, 1], [Sz, 1]).
        Reply both = cluster.client(3).get(key);
        assertThat(both.stringValues()).as("%s", both).containsExactlyInAnyOrder("D3", "D4");
        VectorClock merged = clockOf(both);
        assertThat(merged).isEqualTo(d3.merge(d4));
        VectorClock d5 = clockOf(written(sx.put(key, "D5", both.context())));
        assertThat(nodes(d5)).containsExactly("node1", "node2", "node3");
        assertThat(d5.counter("node1")).isGreaterThan(d2.counter("node1"));
        assertThat(d5.counter("node2")).isEqualTo(d3.counter("node2"));
        assertThat(d5.counter("node3")).isEqualTo(d4.counter("node3"));
        assertThat(d5.compare(d3)).isEqualTo(Occurred.AFTER);
        assertThat(d5.compare(d4)).isEqualTo(Occurred.AFTER);
        for (int k = 1; k <= 3; k++) {
            assertThat(cluster.client(k).get(key).stringValues()).as("through node%d", k).containsExactly("D5");
        }
    }

    private static Reply written(Reply put) {
        assertThat(put.status()).as("put: %s", put).isEqualTo(200);
        return put;
    }

    /**
     * The clock a reply's context stands for, each actor read as its node and timestamps left out;
     * without concurrent writes through one node it has no exact events (docs/design/versioning.md).
     */
    private VectorClock clockOf(Reply reply) {
        CausalContext context = contexts.decode(reply.context());
        assertThat(context.dots()).as("exact events in %s", context).isEmpty();
        return VectorClock.of(context.past().entries().stream()
                .map(e -> new VectorClock.Entry(Actors.nodeOf(e.nodeId()), e.counter(), 0)).toList());
    }

    private static List<String> nodes(VectorClock clock) {
        return clock.entries().stream().map(VectorClock.Entry::nodeId).toList();
    }
}
