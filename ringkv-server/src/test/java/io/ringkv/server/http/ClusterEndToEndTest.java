package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cluster.node.NodeIdentityFile;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.server.RingkvNode;
import io.ringkv.server.TestNodes;
import io.ringkv.server.config.AntiEntropySettings;
import io.ringkv.server.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes in this JVM, each on its own loopback address (127.0.0.1, .2, .3) with real
 * Netty inter-node sockets and real HTTP, started at the same moment with N = 3, R = W = 2 and
 * fast gossip: they form one ring by themselves, a write through one node is read through
 * another, a stopped node is seen DOWN and writes still succeed, and a restart keeps its tokens.
 * (Separate processes, kill -9 and SIGSTOP are ringkv-it's.)
 */
class ClusterEndToEndTest {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path dir;

    private final List<NodeConfig> configs = new ArrayList<>();
    private final RingkvNode[] nodes = new RingkvNode[3];

    @BeforeEach
    void startThreeNodesAtOnce() {
        List<NodeConfig> unseeded = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            unseeded.add(TestNodes.member(k, dir.resolve("node" + k), List.of(), 3, 2, 2));
        }
        List<PeerAddress> seeds = List.of(unseeded.get(0).cluster().peerAddress(), unseeded.get(1).cluster().peerAddress());
        for (NodeConfig c : unseeded) {
            // What repairs do over real sockets is tested here, not how fast the throttle lets them go
            // (at the default, building 768 trees alone takes about 48 s of budget: docs/design/anti-entropy.md).
            NodeConfig seeded = TestNodes.withSeeds(c, seeds);
            configs.add(seeded.withAntiEntropy(new AntiEntropySettings(true, seeded.antiEntropy().config().withThrottle(0))));
        }
        for (int i = 0; i < 3; i++) {
            nodes[i] = RingkvNode.start(configs.get(i));
        }
        await("three nodes see three UP, NORMAL members in one ring", () -> {
            for (int i = 0; i < 3; i++) {
                if (!allUpAndNormal(cluster(i), 3)) {
                    return false;
                }
            }
            return true;
        });
    }

    @AfterEach
    void stopAll() {
        for (RingkvNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    private TestHttp http(int i) {
        return new TestHttp(nodes[i].baseUrl());
    }

    private JsonNode cluster(int i) {
        TestHttp.Response r = http(i).get("/api/v1/cluster");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static boolean allUpAndNormal(JsonNode cluster, int expected) {
        JsonNode members = cluster.path("members");
        if (members.size() != expected) {
            return false;
        }
        for (JsonNode m : members) {
            if (!m.path("liveness").asText().equals("UP") || !m.path("status").asText().equals("NORMAL")) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode member(JsonNode cluster, String id) {
        for (JsonNode m : cluster.path("members")) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        return null;
    }

    /** Polls a condition of real processes on a real clock, up to WAIT_SECONDS. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %d s: %s", WAIT_SECONDS, what).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void everyNodeSeesTheSameBalancedRingAndTheReplicationSettings() {
        Map<String, Integer> tokens = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            JsonNode c = cluster(i);
            assertThat(c.path("self").asText()).isEqualTo("node" + (i + 1));
            assertThat(c.path("replication").toString()).isEqualTo("{\"n\":3,\"r\":2,\"w\":2,\"consistency\":\"count\"}");
            double total = 0;
            for (JsonNode m : c.path("members")) {
                tokens.merge(m.path("id").asText(), m.path("tokens").asInt(), (a, b) -> {
                    assertThat(a).isEqualTo(b);
                    return a;
                });
                assertThat(m.path("ringShare").asDouble()).as("share of " + m.path("id")).isBetween(0.30, 0.37);
                assertThat(m.path("heartbeatAgeMillis").asLong()).isLessThan(TestNodes.SUSPECT_AFTER_MILLIS);
                total += m.path("ringShare").asDouble();
            }
            assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(tokens).containsOnlyKeys("node1", "node2", "node3").allSatisfy((id, count) -> assertThat(count).isEqualTo(256));
        assertThat(member(cluster(0), "node3").path("peer").asText()).isEqualTo(configs.get(2).cluster().peerAddress().toString());
        assertThat(member(cluster(0), "node3").path("http").asText()).startsWith("127.0.0.3:");
    }

    @Test
    void aWriteThroughOneNodeIsReadThroughAnotherWithQuorumsOfTwo() {
        TestHttp.Response put = http(0).postJson("/api/v1/put", "{\"key\": \"cart\", \"value\": [\"apple\"]}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        TestHttp.Response got = http(1).get("/api/v1/get?key=cart&r=2");
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.json().path("values").toString()).isEqualTo("[[\"apple\"]]");

        // overwrite through the third node with the context read through the second
        String context = got.json().path("context").asText();
        TestHttp.Response again = http(2).postJson("/api/v1/put?w=2",
                "{\"key\": \"cart\", \"value\": [\"apple\", \"pear\"], \"context\": \"" + context + "\"}");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(http(0).get("/api/v1/get?key=cart").json().path("values").toString()).isEqualTo("[[\"apple\",\"pear\"]]");

        assertThat(http(0).get("/api/v1/get?key=cart&r=4").status()).as("r above N=3").isEqualTo(400);
    }

    /** Issue 10's reproduction, the curl lines as written: client A's acknowledged write must survive. */
    @Test
    void aPutReplysContextWrittenBackKeepsAnotherClientsConcurrentWrite() {
        assertThat(http(0).postJson("/api/v1/put", "{\"key\":\"k\",\"value\":\"from-A\"}").status()).isEqualTo(200);
        TestHttp.Response b = http(0).postJson("/api/v1/put", "{\"key\":\"k\",\"value\":\"from-B\"}");
        assertThat(b.status()).as(b.toString()).isEqualTo(200);
        String contextOfB = b.json().path("context").asText();
        TestHttp.Response again = http(0).postJson("/api/v1/put",
                "{\"key\":\"k\",\"value\":\"from-B-again\",\"context\":\"" + contextOfB + "\"}");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);

        TestHttp.Response all = http(0).get("/api/v1/get?key=k&r=3");
        assertThat(all.json().path("values").toString()).isEqualTo("[\"from-A\",\"from-B-again\"]");

        // the raw API: the reply's X-Ringkv-Context, written back, supersedes only that write
        http(1).method("PUT", "/api/v1/kv/raw", "A".getBytes());
        TestHttp.Response rawB = http(1).method("PUT", "/api/v1/kv/raw", "B".getBytes());
        http(1).method("PUT", "/api/v1/kv/raw", "B2".getBytes(), "X-Ringkv-Context", rawB.header("X-Ringkv-Context"));
        TestHttp.Response siblings = http(2).get("/api/v1/kv/raw?r=3");
        assertThat(siblings.status()).as("two siblings: %s", siblings).isEqualTo(300);
    }

    @Test
    void aSecondProcessOnACopyOfNode3sDataDirectoryRefusesToServeAndNode3KeepsItsPlace() throws Exception {
        Path copyDir = Files.createDirectories(dir.resolve("copy-of-node3"));
        Files.copy(NodeIdentityFile.path(dir.resolve("node3")), NodeIdentityFile.path(copyDir));
        NodeConfig copyConfig = TestNodes.withSeeds(TestNodes.member(4, copyDir, List.of(), 3, 2, 2), configs.get(0).cluster().seeds())
                .withNodeId("node3");
        String node3Peer = configs.get(2).cluster().peerAddress().toString();
        RingkvNode copy = RingkvNode.start(copyConfig);
        try {
            TestHttp copyHttp = new TestHttp(copy.baseUrl());
            await("the copy refuses", () -> copyHttp.get("/health").status() == 503);
            JsonNode health = copyHttp.get("/health").json();
            assertThat(health.path("status").asText()).isEqualTo("refused");
            assertThat(health.path("idConflict").path("thisNode").asText()).isEqualTo("refused");
            assertThat(health.path("idConflict").path("kept").path("peer").asText()).isEqualTo(node3Peer);
            assertThat(health.path("idConflict").path("message").asText())
                    .contains("already in use by the process at " + node3Peer).contains(copyDir.toString());
            TestHttp.Response put = copyHttp.postJson("/api/v1/put", "{\"key\": \"dup\", \"value\": \"x\"}");
            assertThat(put.status()).as(put.toString()).isEqualTo(503);
            assertThat(put.json().path("error").asText()).isEqualTo("node_refused");

            await("node3 reports the conflict and keeps serving", () -> {
                TestHttp.Response h = http(2).get("/health");
                return h.status() == 200 && h.json().path("idConflict").path("thisNode").asText().equals("kept");
            });
            assertThat(cluster(2).path("idConflict").path("refused").path("peer").asText())
                    .isEqualTo(copyConfig.cluster().peerAddress().toString());
            await("node1 and node2 see node3 at its own address again", () ->
                    member(cluster(0), "node3").path("peer").asText().equals(node3Peer)
                            && member(cluster(1), "node3").path("peer").asText().equals(node3Peer));
            assertThat(nodes[2].registry().get("ringkv.cluster.id.conflict").gauge().value()).isEqualTo(1);
            assertThat(copy.registry().get("ringkv.cluster.id.conflict").gauge().value()).isEqualTo(2);

            // Every replica of node3's ranges is the real node3: a write to all three replicas succeeds
            // through node1 and reads back through node3 itself.
            TestHttp.Response all = http(0).postJson("/api/v1/put?w=3", "{\"key\": \"after-dup\", \"value\": \"v\"}");
            assertThat(all.status()).as(all.toString()).isEqualTo(200);
            assertThat(http(2).get("/api/v1/get?key=after-dup&r=1").json().path("values").toString()).isEqualTo("[\"v\"]");
        } finally {
            copy.close();
        }
    }

    @Test
    void aStoppedNodeIsSeenDownWritesGoOnAndARestartKeepsItsTokens() {
        JsonNode before = member(cluster(0), "node3");
        String actorBefore = nodes[2].actor();
        nodes[2].close();
        nodes[2] = null;
        await("node1 and node2 see node3 DOWN", () -> member(cluster(0), "node3").path("liveness").asText().equals("DOWN")
                && member(cluster(1), "node3").path("liveness").asText().equals("DOWN"));

        for (int k = 0; k < 5; k++) {
            TestHttp.Response put = http(k % 2).postJson("/api/v1/put", "{\"key\": \"k" + k + "\", \"value\": \"v\"}");
            assertThat(put.status()).as("W=2 with one of three replicas down: " + put).isEqualTo(200);
        }

        nodes[2] = RingkvNode.start(configs.get(2));
        await("node3 is UP again everywhere", () -> allUpAndNormal(cluster(0), 3) && allUpAndNormal(cluster(2), 3));
        JsonNode after = member(cluster(0), "node3");
        assertThat(after.path("generation").asLong()).isGreaterThan(before.path("generation").asLong());
        assertThat(after.path("tokens").asInt()).isEqualTo(256);
        assertThat(after.path("ringShare").asDouble()).isEqualTo(before.path("ringShare").asDouble());
        assertThat(nodes[2].membership().identity().tokens()).isEqualTo(nodes[2].membership().membership().selfMember().tokens());
        assertThat(nodes[2].actor()).as("a clean stop resumes its actor").isEqualTo(actorBefore);
    }

    /** Dynamo §4.7 over real sockets: a replica that missed writes while stopped gets them from a repair, no reads. */
    @Test
    void aNodeThatMissedWritesWhileStoppedGetsThemByRepair() {
        nodes[2].close();
        nodes[2] = null;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String key = "missed-" + i;
            TestHttp.Response put = http(0).postJson("/api/v1/put?w=2", "{\"key\": \"" + key + "\", \"value\": \"v" + i + "\"}");
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            keys.add(key);
        }
        nodes[2] = RingkvNode.start(configs.get(2));
        await("node3 sees the others up again", () -> allUpAndNormal(cluster(2), 3));
        var antiEntropy = nodes[2].antiEntropy().orElseThrow();
        assertThat(nodes[2].store().read(keys.getFirst().getBytes()).isEmpty()).as("node3 missed the writes").isTrue();

        await("a repair of node3 completes", () -> {
            var started = antiEntropy.startRepair(java.util.Optional.empty());
            await("repair " + started.id() + " finishes", () -> antiEntropy.repair(started.id()).orElseThrow().finished());
            return antiEntropy.repair(started.id()).orElseThrow().state() == io.ringkv.cluster.admin.RepairProgress.State.DONE;
        });

        for (String key : keys) {
            assertThat(nodes[2].store().read(key.getBytes())).as(key).isEqualTo(nodes[0].store().read(key.getBytes()));
        }
        assertThat(nodes[2].registry().get("ringkv.antientropy.keys.exchanged").tag("direction", "pulled").counter().count())
                .isGreaterThanOrEqualTo(keys.size());
        assertThat(nodes[2].registry().get("ringkv.antientropy.last.full.repair.age").gauge().value()).isGreaterThanOrEqualTo(0);
    }
}
