package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Growing and shrinking a cluster of real processes under a steady write load
 * (docs/design/membership.md): 3 -> 4 nodes by a join that streams its ranges, then 4 -> 3 by
 * decommissioning another node, which hands its ranges over and exits. After each step, with no
 * client reads, every acknowledged key is in the store of every node of its preference list
 * ({@code admin/replicas}, {@code admin/local}); at the end every acknowledged write reads back
 * with r = 3.
 */
class ElasticClusterTest {
    private static final int MAX_WRITES = 20_000;
    private static final Duration CONVERGE_LIMIT = Duration.ofSeconds(60);

    private LocalClusterProcesses cluster;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    @AfterEach
    void stopWriting() {
        writing.set(false); // before the cluster closes (the extension closes it after this)
    }

    @Test
    void aJoinAndADecommissionUnderLoadLeaveEveryKeyOnEveryReplica() throws Exception {
        cluster = own.start(ClusterSettings.of(4), 3);
        Thread load = Thread.ofPlatform().name("elastic-load").start(this::writeSteadily);
        try {
            awaitWrites(200);

            long joinStart = System.nanoTime();
            cluster.join(4);
            long joinMillis = (System.nanoTime() - joinStart) / 1_000_000;
            awaitWrites(acknowledged.size() + 200);
            Map<String, String> afterJoin = Map.copyOf(acknowledged);
            long checkStart = System.nanoTime();
            Await.until(CONVERGE_LIMIT, "every key acknowledged so far on every replica after the join",
                    () -> missingFromReplicas(afterJoin).isEmpty());
            System.out.printf("join of node4: %d ms; %d keys on all their replicas %d ms later%n", joinMillis,
                    afterJoin.size(), (System.nanoTime() - checkStart) / 1_000_000);
            assertThat(AdminProbe.local(cluster.client(4), afterJoin.keySet().stream()
                    .filter(k -> AdminProbe.replicas(cluster.client(4), k).contains("node4")).findFirst().orElseThrow()))
                    .as("the joiner holds keys written before it joined").isPresent();
            long cleanupStart = System.nanoTime();
            Await.until(CONVERGE_LIMIT, "the nodes that handed ranges to node4 to drop their copies (RangeCleanup)",
                    () -> heldByNonReplicas(afterJoin).isEmpty());
            System.out.printf("copies of ranges given to node4 dropped %d ms later%n",
                    (System.nanoTime() - cleanupStart) / 1_000_000);

            long leaveStart = System.nanoTime();
            cluster.decommission(3);
            long leaveMillis = (System.nanoTime() - leaveStart) / 1_000_000;
            awaitWrites(acknowledged.size() + 200);
        } finally {
            writing.set(false);
            load.join(30_000);
        }
        Map<String, String> all = Map.copyOf(acknowledged);
        Await.until(CONVERGE_LIMIT, "every acknowledged key on every replica after the decommission",
                () -> missingFromReplicas(all).isEmpty());
        System.out.printf("%d of %d writes acknowledged during the join and the decommission; first failures %s%n",
                all.size(), attempted.get(), failures.stream().limit(5).toList());
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            Reply read = cluster.client(1 + lost.size() % 2).get(e.getKey(), 3);
            if (read.status() != 200 || !read.stringValues().contains(e.getValue())) {
                lost.add(e.getKey() + ": " + read);
            }
        }
        assertThat(lost).as("acknowledged writes that do not read back with r=3").isEmpty();
    }

    /** One key after another through nodes 1, 2 and (once it has joined) 4, until told to stop. */
    private void writeSteadily() {
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (int i = 0; writing.get() && i < MAX_WRITES && System.nanoTime() < end; i++) {
            List<Integer> coordinators = cluster.memberNodes().stream().map(NodeSpec::index).filter(k -> k != 3).toList();
            int node = coordinators.get(i % coordinators.size());
            String key = "elastic-" + i;
            String value = "v" + i;
            attempted.incrementAndGet();
            try {
                Reply put = cluster.client(node).put(key, value);
                if (put.status() == 200) {
                    acknowledged.put(key, value);
                } else if (failures.size() < 20) {
                    failures.add(key + " via node" + node + ": " + put.status() + " " + put.error());
                }
            } catch (RuntimeException e) {
                if (failures.size() < 20) {
                    failures.add(key + " via node" + node + ": " + e.getMessage());
                }
            }
            Await.sleep(5);
        }
    }

    private void awaitWrites(int count) {
        Await.until(Duration.ofSeconds(60), count + " acknowledged writes", () -> acknowledged.size() >= count);
    }

    /** "key on nodeX" for every key a member outside its preference list still stores, through admin/local only. */
    private List<String> heldByNonReplicas(Map<String, String> keys) {
        List<String> held = new ArrayList<>();
        for (String key : keys.keySet()) {
            List<String> replicas = AdminProbe.replicas(cluster.client(1), key);
            for (NodeSpec node : cluster.memberNodes()) {
                if (!replicas.contains(node.id()) && AdminProbe.local(cluster.client(node.index()), key).isPresent()) {
                    held.add(key + " on " + node.id());
                    if (held.size() > 20) {
                        return held;
                    }
                }
            }
        }
        return held;
    }

    /** "key on nodeX" for every key a node of its preference list does not store, through admin/local only. */
    private List<String> missingFromReplicas(Map<String, String> keys) {
        Map<String, Integer> indexById = new LinkedHashMap<>();
        cluster.memberNodes().forEach(n -> indexById.put(n.id(), n.index()));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            for (String replica : AdminProbe.replicas(cluster.client(1), e.getKey())) {
                Integer index = indexById.get(replica);
                Optional<List<String>> stored = index == null ? Optional.empty()
                        : AdminProbe.local(cluster.client(index), e.getKey());
                if (stored.isEmpty() || !stored.get().contains(e.getValue())) {
                    missing.add(e.getKey() + " on " + replica);
                    if (missing.size() > 20) {
                        return missing;
                    }
                }
            }
        }
        return missing;
    }
}
