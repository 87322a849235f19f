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
 * Two data centers that survive losing each other (docs/design/coordinator.md, "Data centers"):
 * six node processes, node1, node3, node5 in dc1 and node2, node4, node6 in dc2, two replicas of
 * every key in each, and the nodes' default consistency, a local quorum. Convergence after the
 * cut is observed through the admin endpoints only, so no client read (and no read repair) helps
 * it along.
 */
class DataCenterCutTest {
    private static final Duration CUT = Duration.ofSeconds(30);
    private static final int MAX_OPERATIONS_PER_SIDE = 3_000;
    private static final Duration CONVERGE_LIMIT = Duration.ofSeconds(90);

    private LocalClusterProcesses cluster;
    private NetworkPartition partition;

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    /** One data center's traffic during the cut: acknowledged writes (key to value), and counts. */
    private record SideTraffic(Map<String, String> acknowledged, int writes, int reads, int readsOk, List<String> failures) {
        double writeRatio() {
            return writes == 0 ? 0 : (double) acknowledged.size() / writes;
        }

        double readRatio() {
            return reads == 0 ? 0 : (double) readsOk / reads;
        }
    }

    /**
     * Every link between dc1 and dc2 dropped for 30 s, a client in each data center writing fresh
     * keys and reading back its own earlier writes through that data center's nodes at the
     * defaults: both stay writable and readable (>= 99% each). After the heal, with no client
     * reads, the hints each data center kept for the other's replicas are handed over and every
     * acknowledged key is on all four of its replicas.
     */
    @Test
    void eachDataCenterServesAtItsDefaultsWhileCutOffAndTheOtherConvergesAfterTheHeal() throws Exception {
        Optional<String> noIptables = Iptables.unavailableReason();
        assumeTrue(noIptables.isEmpty(), () -> noIptables.orElseThrow());
        cluster = own.start(ClusterSettings.inDataCenters(6, 2, 2));
        List<Integer> dc1 = List.of(1, 3, 5);
        List<Integer> dc2 = List.of(2, 4, 6);
        com.fasterxml.jackson.databind.JsonNode view = cluster.client(1).cluster().raw();
        for (com.fasterxml.jackson.databind.JsonNode member : view.path("members")) {
            int k = Integer.parseInt(member.path("id").asText().substring("node".length()));
            assertThat(member.path("dataCenter").asText()).as("data center of %s", member.path("id")).isEqualTo(
                    (dc1.contains(k) ? "dc1" : "dc2"));
        }
        assertThat(view.path("replication").path("consistency").asText()).isEqualTo("local_quorum");
        partition = own.closing(NetworkPartition.install(cluster));
        for (int a : dc1) {
            for (int b : dc2) {
                partition.cut(a, b);
            }
        }
        SideTraffic dc1Traffic;
        SideTraffic dc2Traffic;
        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            Future<SideTraffic> dc1Future = clients.submit(() -> writeAndRead("dc1", dc1));
            Future<SideTraffic> dc2Future = clients.submit(() -> writeAndRead("dc2", dc2));
            dc1Traffic = dc1Future.get();
            dc2Traffic = dc2Future.get();
        }
        long hintsAtTheHeal = cluster.nodes().stream().mapToLong(n -> AdminProbe.pendingHints(cluster.client(n.index()))).sum();
        partition.healAll();
        long healedAt = System.nanoTime();
        for (SideTraffic t : List.of(dc1Traffic, dc2Traffic)) {
            System.out.printf("cut for %d s: writes %d/%d acknowledged (%.2f%%), reads %d/%d (%.2f%%); first failures: %s%n",
                    CUT.toSeconds(), t.acknowledged().size(), t.writes(), 100 * t.writeRatio(), t.readsOk(), t.reads(),
                    100 * t.readRatio(), t.failures());
        }
        assertThat(dc1Traffic.writeRatio()).as("dc1's writes acknowledged").isGreaterThanOrEqualTo(0.99);
        assertThat(dc2Traffic.writeRatio()).as("dc2's writes acknowledged").isGreaterThanOrEqualTo(0.99);
        assertThat(dc1Traffic.readRatio()).as("dc1's reads answered with the value written").isGreaterThanOrEqualTo(0.99);
        assertThat(dc2Traffic.readRatio()).as("dc2's reads answered with the value written").isGreaterThanOrEqualTo(0.99);
        assertThat(hintsAtTheHeal).as("hints held for the other data center's replicas when the cut healed").isPositive();

        Await.until(CONVERGE_LIMIT, "every node's hint queue empty after the heal", () -> cluster.nodes().stream()
                .allMatch(node -> AdminProbe.pendingHints(cluster.client(node.index())) == 0));
        long hintsDrainedMillis = (System.nanoTime() - healedAt) / 1_000_000;
        Map<String, String> acknowledged = new LinkedHashMap<>(dc1Traffic.acknowledged());
        acknowledged.putAll(dc2Traffic.acknowledged());
        List<String> missing = missingFromReplicas(acknowledged);
        System.out.printf("%d hints at the heal, drained %d ms after it; %d acknowledged keys checked on all %d replicas"
                        + " each: %d missing %s%n", hintsAtTheHeal, hintsDrainedMillis, acknowledged.size(),
                cluster.settings().n(), missing.size(), missing.stream().limit(5).toList());
        assertThat(missing).as("acknowledged writes absent from a replica of their key").isEmpty();
    }

    /**
     * Through the nodes of one data center, in turn, for the cut's duration: a put of a fresh key,
     * then a get of the key acknowledged before it (through the next node), which must answer
     * with its value. Sequential, so each request sees the cluster as the previous one left it.
     */
    private SideTraffic writeAndRead(String side, List<Integer> nodes) {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        long end = System.nanoTime() + CUT.toNanos();
        int writes = 0;
        int reads = 0;
        int readsOk = 0;
        String lastKey = null;
        while (System.nanoTime() < end && writes < MAX_OPERATIONS_PER_SIDE) {
            String key = side + "-" + writes;
            String value = "value-" + writes;
            int node = nodes.get(writes % nodes.size());
            writes++;
            Reply put = cluster.client(node).put(key, value);
            if (put.status() == 200) {
                acknowledged.put(key, value);
            } else if (failures.size() < 5) {
                failures.add("put " + key + " via node" + node + ": " + put.status() + " " + put.error());
            }
            if (lastKey != null) {
                int reader = nodes.get(writes % nodes.size());
                reads++;
                Reply get = cluster.client(reader).get(lastKey);
                if (get.status() == 200 && get.stringValues().contains(acknowledged.get(lastKey))) {
                    readsOk++;
                } else if (failures.size() < 5) {
                    failures.add("get " + lastKey + " via node" + reader + ": " + get.status() + " " + get.error());
                }
            }
            lastKey = acknowledged.containsKey(key) ? key : lastKey;
            Await.sleep(5);
        }
        return new SideTraffic(acknowledged, writes, reads, readsOk, failures);
    }

    /** "key on nodeX" for every acknowledged key that a replica of it does not store, checked through admin/local. */
    private List<String> missingFromReplicas(Map<String, String> acknowledged) {
        List<String> missing = new ArrayList<>();
        Map<String, Integer> indexById = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> indexById.put(n.id(), n.index()));
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            List<String> replicas = AdminProbe.replicas(cluster.client(1), e.getKey());
            assertThat(replicas).as("replicas of %s", e.getKey()).hasSize(cluster.settings().n());
            for (String replica : replicas) {
                Optional<List<String>> stored = AdminProbe.local(cluster.client(indexById.get(replica)), e.getKey());
                if (stored.isEmpty() || !stored.get().contains(e.getValue())) {
                    missing.add(e.getKey() + " on " + replica);
                }
            }
        }
        return missing;
    }
}
