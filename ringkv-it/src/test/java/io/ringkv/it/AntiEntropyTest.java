package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Merkle-tree anti-entropy between real node processes (docs/design/anti-entropy.md), each test
 * on a 3-node cluster of its own (N = 3: every node replicates every key). What a replica holds is
 * read through the admin endpoints only, so no client read (and no read repair) helps it along.
 */
class AntiEntropyTest {
    /**
     * Repairs and background runs refresh trees at the default throttle: a tree scan costs 256 KiB
     * of its 4 MiB/s, so building a node's 768 trees takes about 48 s (docs/design/anti-entropy.md,
     * "Throttle").
     */
    private static final Duration REPAIR_LIMIT = Duration.ofSeconds(180);
    private static final Duration CONVERGE_LIMIT = Duration.ofSeconds(60);
    private static final Duration PURGE_LIMIT = Duration.ofSeconds(120);
    /**
     * The delete test's wait before compacting: grace (2 s), then two complete rounds (about 1 s
     * each, 1 s apart) of which the first starts after the margin (1 s).
     */
    private static final long PURGE_SETTLE_MILLIS = 7_000;

    private LocalClusterProcesses cluster;

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    /**
     * Dynamo §4.7: a node that lost its disk comes back empty; {@code POST admin/repair} on it
     * (background anti-entropy is off here, so nothing else runs) compares its ranges with the
     * other replicas and pulls every key it replicates. Afterwards every replica of every range has
     * the same Merkle root.
     */
    @Test
    void aWipedNodeRegainsEveryKeyItReplicatesThroughAdminRepairWithNoClientReads() {
        cluster = own.start(ClusterSettings.of(3).withYaml("antiEntropy", "background: false"));
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            String key = "wiped-" + i;
            Reply put = cluster.client(1 + i % 3).put(key, "v" + i, null, 3);
            assertThat(put.status()).as("write %s: %s", key, put).isEqualTo(200);
            written.put(key, "v" + i);
        }
        int wiped = 3;
        cluster.kill9(wiped);
        cluster.wipeStoreKeepingIdentity(wiped); // wiped whole, it would rejoin and stream its ranges back
        cluster.restart(wiped);
        cluster.awaitConverged();
        Convergence.awaitSameRing(cluster, CONVERGE_LIMIT);
        String wipedId = cluster.node(wiped).id();
        assertThat(written.keySet().stream().filter(k -> AdminProbe.local(cluster.client(wiped), k).isPresent()).toList())
                .as("keys on node %d right after it was wiped", wiped).isEmpty();

        JsonNode done = repairAndWait(wiped);
        System.out.printf("repair of wiped node %d: %s%n", wiped, done);
        assertThat(done.get("state").asText()).as("repair %s", done).isEqualTo("DONE");
        assertThat(done.get("keysExchanged").asLong()).as("keys exchanged").isGreaterThanOrEqualTo(written.size());

        List<String> missing = new ArrayList<>();
        int replicated = 0;
        for (Map.Entry<String, String> e : written.entrySet()) {
            if (!AdminProbe.replicas(cluster.client(wiped), e.getKey()).contains(wipedId)) {
                continue;
            }
            replicated++;
            Optional<List<String>> stored = AdminProbe.local(cluster.client(wiped), e.getKey());
            if (!stored.equals(Optional.of(List.of(e.getValue())))) {
                missing.add(e.getKey() + " -> " + stored);
            }
        }
        assertThat(replicated).as("keys node %d replicates", wiped).isEqualTo(written.size());
        assertThat(missing).as("keys node %d replicates but does not hold after the repair", wiped).isEmpty();
        Convergence.await(cluster, CONVERGE_LIMIT);
    }

    /**
     * A delete missed by one replica (down while it was made; with three nodes and N = 3 there is
     * no fallback to hold a hint, and the hint store is closed anyway) is repaired by background
     * anti-entropy, and once the tombstone is purged everywhere the value never comes back: not
     * while the replica that missed it is down (no purge without a complete round), not after the
     * purge, not after more rounds. Grace period, purge margin and interval are seconds here.
     */
    @Test
    void aDeleteMissedByOneReplicaIsRepairedAndTheValueNeverComesBackAfterTheTombstonePurge() {
        cluster = own.start(ClusterSettings.of(3)
                .withYaml("replication", "hints: {maxSize: 0, window: 1s}")
                .withYaml("storage", "tombstoneGracePeriod: 2s")
                .withYaml("antiEntropy", "interval: 1s", "initialDelay: 0ms", "purgeMargin: 1s"));
        String key = "doomed";
        Reply put = cluster.client(1).put(key, "v1", null, 3);
        assertThat(put.status()).as("put: %s", put).isEqualTo(200);

        int missed = 3;
        cluster.kill9(missed);
        cluster.awaitSeenNotUp(1, missed, Duration.ofSeconds(30));
        long deletedAtMillis = System.currentTimeMillis();
        Reply delete = cluster.client(1).delete(key, put.context(), 2);
        assertThat(delete.status()).as("delete with node %d down: %s", missed, delete).isEqualTo(200);

        // Past the grace period and the margin, with background runs failing for want of node 3:
        // no horizon, so compaction keeps the tombstone on nodes 1 and 2.
        Await.until(REPAIR_LIMIT, "a background run on node 1 that started 3 s after the delete and ended",
                () -> finishedRunStartedAfter(1, deletedAtMillis + 3_000));
        for (int k : List.of(1, 2)) {
            compact(k);
            assertThat(tombstoneState(k)).as("node %d after a compaction while node %d is down", k, missed)
                    .isEqualTo("tombstone");
        }

        cluster.restart(missed);
        cluster.awaitConverged();
        Await.until(REPAIR_LIMIT, "node " + missed + " to receive the tombstone from anti-entropy",
                () -> !tombstoneState(missed).equals("value"));

        // Purge: once all three hold the tombstone, their trees agree and no exchange touches it;
        // after the grace period and two complete rounds past the margin, compact all three at once.
        // A node that purges alone gets the tombstone pushed back (and its grace restarts, as the
        // engine counts it from the last local write), so this repeats until all purge together.
        long purgeStart = System.nanoTime();
        int[] attempts = {0};
        Await.until(PURGE_LIMIT, "the tombstone purged on every node together", () -> {
            List<String> states = states();
            if (states.stream().allMatch(st -> st.equals("absent"))) {
                return true;
            }
            if (!states.stream().allMatch(st -> st.equals("tombstone"))) {
                return false; // anti-entropy is spreading it again
            }
            Await.sleep(PURGE_SETTLE_MILLIS);
            attempts[0]++;
            for (int k = 1; k <= 3; k++) {
                compact(k);
            }
            List<String> after = states();
            System.out.printf("compaction %d of all three nodes: %s%n", attempts[0], after);
            return after.stream().allMatch(st -> st.equals("absent"));
        });
        long purgedAtMillis = System.currentTimeMillis();
        System.out.printf("tombstone purged on every node %d ms after node %d had it, after %d compactions of all nodes%n",
                (System.nanoTime() - purgeStart) / 1_000_000, missed, attempts[0]);

        // More rounds after the purge, then compaction again: nothing brings the value back.
        for (int k = 1; k <= 3; k++) {
            int node = k;
            Await.until(REPAIR_LIMIT, "a background run on node " + node + " after the purge",
                    () -> finishedRunStartedAfter(node, purgedAtMillis + 500));
            compact(node);
        }
        for (int k = 1; k <= 3; k++) {
            Reply read = cluster.client(k).get(key, 3);
            assertThat(read.status()).as("r=3 read through node %d after the purge: %s", k, read).isEqualTo(404);
            assertThat(tombstoneState(k)).as("node %d's own store after the purge and more rounds", k).isNotEqualTo("value");
        }
        Convergence.await(cluster, CONVERGE_LIMIT);
    }

    /** {@code POST admin/repair} on node {@code k}, then its progress until it finishes. */
    private JsonNode repairAndWait(int k) {
        Reply started = cluster.client(k).send("POST", "/api/v1/admin/repair", null);
        assertThat(started.status()).as("POST admin/repair: %s", started).isEqualTo(202);
        long id = started.json().get("id").asLong();
        return Await.until(REPAIR_LIMIT, "repair " + id + " on node " + k + " to finish", () -> {
            Reply progress = cluster.client(k).send("GET", "/api/v1/admin/repair?id=" + id, null);
            assertThat(progress.status()).as("repair progress: %s", progress).isEqualTo(200);
            return "RUNNING".equals(progress.json().get("state").asText()) ? Optional.empty() : Optional.of(progress.json());
        });
    }

    /** Whether node {@code k} finished a repair run (of any outcome) that started after {@code millis}. */
    private boolean finishedRunStartedAfter(int k, long millis) {
        Reply runs = cluster.client(k).send("GET", "/api/v1/admin/repairs", null);
        assertThat(runs.status()).as("admin/repairs: %s", runs).isEqualTo(200);
        for (JsonNode run : runs.json().get("repairs")) {
            if (run.get("startedAtMillis").asLong() > millis && !"RUNNING".equals(run.get("state").asText())) {
                return true;
            }
        }
        return false;
    }

    private void compact(int k) {
        Reply compacted = cluster.client(k).send("POST", "/api/v1/admin/compact", null);
        assertThat(compacted.status()).as("POST admin/compact on node %d: %s", k, compacted).isEqualTo(200);
    }

    /** {@link #tombstoneState} of every node, checking that none holds the value. */
    private List<String> states() {
        List<String> states = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            String state = tombstoneState(k);
            assertThat(state).as("node %d once every node had the tombstone", k).isNotEqualTo("value");
            states.add(state);
        }
        return states;
    }

    /** What node {@code k}'s own store holds for the key: "value", "tombstone" (404 with a context) or "absent". */
    private String tombstoneState(int k) {
        Reply local = cluster.client(k).send("GET", "/api/v1/admin/local?key=doomed", null);
        if (local.status() == 200) {
            return "value";
        }
        assertThat(local.status()).as("admin/local on node %d: %s", k, local).isEqualTo(404);
        return local.json().has("context") ? "tombstone" : "absent";
    }
}
