package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sloppy quorum and hinted handoff between real node processes (docs/design/hinted-handoff.md):
 * five nodes, N = 3, default W = 2. Convergence is observed through the admin endpoints only, so
 * no client read (and no read repair) helps it along.
 */
class HintedHandoffTest {
    private static final Duration PARTITION = Duration.ofSeconds(20);
    private static final int MAX_WRITES_PER_SIDE = 2_000;
    private static final Duration CONVERGE_LIMIT = Duration.ofSeconds(60);
    /**
     * For {@link Convergence}: a write that reached one replica but was not acknowledged leaves
     * its range differing until background anti-entropy (first run 1 min after a node starts)
     * compares it; the hints alone do not carry it.
     */
    private static final Duration CONVERGENCE_LIMIT = Duration.ofSeconds(120);

    private LocalClusterProcesses cluster;
    private NetworkPartition partition;

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    /** One side's writes: key to value, for the acknowledged ones, and how many were attempted. */
    private record SideWrites(Map<String, String> acknowledged, int attempted, List<String> failures) {
        double ratio() {
            return attempted == 0 ? 0 : (double) acknowledged.size() / attempted;
        }
    }

    /**
     * Dynamo §4.6: a 2|3 split of five nodes for 20 s with a writer on each side at the default
     * W. Both sides stay writable (>= 99% of writes acknowledged each), through hints on the
     * fallbacks of their own side; after the heal every acknowledged key reaches every replica
     * of its preference list within 60 s, and the hint queues empty, with no client reads.
     */
    @Test
    void bothSidesOfATwoThreeSplitStayWritableAndTheHintsConvergeAfterTheHeal() throws Exception {
        Optional<String> noIptables = Iptables.unavailableReason();
        assumeTrue(noIptables.isEmpty(), () -> noIptables.orElseThrow());
        cluster = own.start(ClusterSettings.of(5));
        partition = own.closing(NetworkPartition.install(cluster));
        List<Integer> minority = List.of(1, 2);
        List<Integer> majority = List.of(3, 4, 5);
        for (int a : minority) {
            for (int b : majority) {
                partition.cut(a, b);
            }
        }
        SideWrites minorityWrites;
        SideWrites majorityWrites;
        try (ExecutorService writers = Executors.newFixedThreadPool(2)) {
            Future<SideWrites> minorityFuture = writers.submit(() -> write("minority", minority));
            Future<SideWrites> majorityFuture = writers.submit(() -> write("majority", majority));
            minorityWrites = minorityFuture.get();
            majorityWrites = majorityFuture.get();
        }
        partition.healAll();
        long healedAt = System.nanoTime();
        System.out.printf("split 2|3 for %d s: minority %d/%d acknowledged (%.2f%%), majority %d/%d (%.2f%%); first failures: %s %s%n",
                PARTITION.toSeconds(), minorityWrites.acknowledged().size(), minorityWrites.attempted(),
                100 * minorityWrites.ratio(), majorityWrites.acknowledged().size(), majorityWrites.attempted(),
                100 * majorityWrites.ratio(), minorityWrites.failures(), majorityWrites.failures());
        assertThat(minorityWrites.ratio()).as("minority side's writes acknowledged").isGreaterThanOrEqualTo(0.99);
        assertThat(majorityWrites.ratio()).as("majority side's writes acknowledged").isGreaterThanOrEqualTo(0.99);

        Await.until(CONVERGE_LIMIT, "every node's hint queue empty after the heal", () -> cluster.nodes().stream()
                .allMatch(node -> AdminProbe.pendingHints(cluster.client(node.index())) == 0));
        long hintsDrainedMillis = (System.nanoTime() - healedAt) / 1_000_000;
        Map<String, String> acknowledged = new LinkedHashMap<>(minorityWrites.acknowledged());
        acknowledged.putAll(majorityWrites.acknowledged());
        List<String> missing = missingFromReplicas(acknowledged);
        System.out.printf("hints drained %d ms after the heal; %d acknowledged keys checked on all %d replicas each: %d missing%n",
                hintsDrainedMillis, acknowledged.size(), cluster.settings().n(), missing.size());
        assertThat(missing).as("acknowledged writes absent from a replica of their key").isEmpty();
        Convergence.await(cluster, CONVERGENCE_LIMIT);
    }

    /**
     * Hints are durable: the node holding hints for a dead replica is killed with SIGKILL before
     * it can hand them over; after both are back, the hints are delivered all the same.
     */
    @Test
    void hintsSurviveKillNineOfTheirHolderAndAreDeliveredAfterItRestarts() {
        cluster = own.start(ClusterSettings.of(5));
        int dead = 5;
        cluster.kill9(dead);
        cluster.awaitSeenNotUp(1, dead, Duration.ofSeconds(30));
        String deadId = cluster.node(dead).id();
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; written.size() < 30 && i < 2_000; i++) {
            String key = "hinted-" + i;
            if (!AdminProbe.replicas(cluster.client(1), key).contains(deadId)) {
                continue;
            }
            Reply put = cluster.client(1 + i % 4).put(key, "v" + i);
            assertThat(put.status()).as("write %s with node %d down: %s", key, dead, put).isEqualTo(200);
            written.put(key, "v" + i);
        }
        int holder = cluster.nodes().stream().map(NodeSpec::index).filter(k -> k != dead)
                .max((a, b) -> Long.compare(AdminProbe.pendingHints(cluster.client(a)), AdminProbe.pendingHints(cluster.client(b))))
                .orElseThrow();
        long held = AdminProbe.pendingHints(cluster.client(holder));
        assertThat(held).as("hints held by node %d for node %d", holder, dead).isPositive();

        cluster.kill9(holder);
        cluster.restart(dead);
        cluster.awaitServing(dead);
        Await.sleep(2 * cluster.settings().suspectAfterMillis()); // the others hand theirs over meanwhile
        cluster.restart(holder);
        cluster.awaitServing(holder);

        Await.until(CONVERGE_LIMIT, "node " + holder + " handing over its " + held + " hints after its restart",
                () -> AdminProbe.pendingHints(cluster.client(holder)) == 0);
        assertThat(AdminProbe.hints(cluster.client(holder)).get("hints").findValues("delivered").stream()
                .mapToLong(n -> n.asLong()).sum()).as("delivered by the restarted holder").isEqualTo(held);
        for (Map.Entry<String, String> e : written.entrySet()) {
            assertThat(AdminProbe.local(cluster.client(dead), e.getKey())).as("key %s on node %d", e.getKey(), dead)
                    .contains(List.of(e.getValue()));
        }
        Convergence.await(cluster, CONVERGENCE_LIMIT);
    }

    /** Writes fresh keys round-robin through {@code nodes}, sequentially, for the partition's duration. */
    private SideWrites write(String side, List<Integer> nodes) {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        long end = System.nanoTime() + PARTITION.toNanos();
        int attempted = 0;
        while (System.nanoTime() < end && attempted < MAX_WRITES_PER_SIDE) {
            String key = side + "-" + attempted;
            String value = "value-" + attempted;
            int node = nodes.get(attempted % nodes.size());
            attempted++;
            Reply put = cluster.client(node).put(key, value);
            if (put.status() == 200) {
                acknowledged.put(key, value);
            } else if (failures.size() < 5) {
                failures.add(key + " via node" + node + ": " + put.status() + " " + put.error());
            }
            Await.sleep(5);
        }
        return new SideWrites(acknowledged, attempted, failures);
    }

    /** "key on nodeX" for every acknowledged key that a replica of it does not store, checked through admin/local. */
    private List<String> missingFromReplicas(Map<String, String> acknowledged) {
        List<String> missing = new ArrayList<>();
        Map<String, Integer> indexById = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> indexById.put(n.id(), n.index()));
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            for (String replica : AdminProbe.replicas(cluster.client(1), e.getKey())) {
                Optional<List<String>> stored = AdminProbe.local(cluster.client(indexById.get(replica)), e.getKey());
                if (stored.isEmpty() || !stored.get().contains(e.getValue())) {
                    missing.add(e.getKey() + " on " + replica);
                }
            }
        }
        return missing;
    }
}
