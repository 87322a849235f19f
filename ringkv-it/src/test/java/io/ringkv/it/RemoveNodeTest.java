package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node killed for good (docs/design/membership.md, "Removing a dead node" and "Replacing a dead
 * node"): removed through another node, its ranges go to the next nodes, which fill them from the
 * surviving replicas by anti-entropy; or a new node started with {@code replace:} takes over its
 * tokens and streams its ranges. Either way every key ends on all three replicas of its new
 * preference list, with no client reads.
 */
class RemoveNodeTest {
    private static final int KEYS = 300;

    private LocalClusterProcesses cluster;

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    @Test
    void removingADeadNodeRestoresFullReplicationFromTheSurvivors() {
        // Re-replication is tested here, not the throttle's pace (docs/design/anti-entropy.md, "Runs, schedule and throttle").
        cluster = own.start(ClusterSettings.of(4).withYaml("antiEntropy", "throttle: 0"));
        Map<String, String> written = writeKeys("removed-", 4);
        cluster.kill9(4);
        Await.until(Duration.ofSeconds(30), "nodes 1-3 to see node4 DOWN", () -> List.of(1, 2, 3).stream()
                .allMatch(k -> cluster.client(k).cluster().member("node4").map(m -> m.liveness().equals("DOWN")).orElse(false)));
        Reply refused = cluster.client(1).send("POST", "/api/v1/admin/removenode?node=node2", null);
        assertThat(refused.status()).as("a live node is not removed: %s", refused).isEqualTo(409);

        long start = System.nanoTime();
        cluster.removeNode(4, 1);
        Await.until(Duration.ofSeconds(90), "every key on all three replicas of its new preference list",
                () -> missing(written, "node4").isEmpty());
        System.out.printf("node4 removed: %d keys fully replicated again %d ms after removenode%n", written.size(),
                (System.nanoTime() - start) / 1_000_000);
        assertThat(AdminProbe.replicas(cluster.client(2), "removed-0")).doesNotContain("node4");
    }

    @Test
    void aReplacementTakesOverADeadNodesTokensAndStreamsItsRanges() {
        cluster = own.start(ClusterSettings.of(4), 3);
        Map<String, String> written = writeKeys("replaced-", 3);
        List<String> deadOwnsKeys = AdminProbe.replicas(cluster.client(1), "replaced-0");
        cluster.kill9(3);
        Await.until(Duration.ofSeconds(30), "nodes 1-2 to see node3 DOWN", () -> List.of(1, 2).stream()
                .allMatch(k -> cluster.client(k).cluster().member("node3").map(m -> m.liveness().equals("DOWN")).orElse(false)));

        long start = System.nanoTime();
        cluster.replaceNode(3, 4);
        long joinedMillis = (System.nanoTime() - start) / 1_000_000;
        Await.until(Duration.ofSeconds(60), "every key on all three replicas (node4 in node3's place)",
                () -> missing(written, "node3").isEmpty());
        System.out.printf("node3 replaced by node4: NORMAL after %d ms, %d keys fully replicated %d ms after the start%n",
                joinedMillis, written.size(), (System.nanoTime() - start) / 1_000_000);
        assertThat(AdminProbe.replicas(cluster.client(1), "replaced-0"))
                .as("node4 stands where node3 stood in the preference list")
                .isEqualTo(deadOwnsKeys.stream().map(id -> id.equals("node3") ? "node4" : id).toList());
    }

    private Map<String, String> writeKeys(String prefix, int nodes) {
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            Reply put = cluster.client(1 + i % nodes).put(prefix + i, "v" + i);
            assertThat(put.status()).as("put: %s", put).isEqualTo(200);
            written.put(prefix + i, "v" + i);
        }
        return written;
    }

    private List<String> missing(Map<String, String> keys, String gone) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            List<String> replicas = AdminProbe.replicas(cluster.client(1), e.getKey());
            if (replicas.size() != 3 || replicas.contains(gone)) {
                missing.add(e.getKey() + ": replicas " + replicas);
                continue;
            }
            for (String replica : replicas) {
                int k = Integer.parseInt(replica.substring(4));
                Optional<List<String>> stored = AdminProbe.local(cluster.client(k), e.getKey());
                if (stored.isEmpty() || !stored.get().contains(e.getValue())) {
                    missing.add(e.getKey() + " on " + replica);
                }
            }
        }
        return missing;
    }
}
