package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition-aware client on a cluster with racks and data centers (Dynamo §4.3 with
 * Cassandra-style placement): node1 and node2 on rack a and node3 on rack b of dc1, node4 in dc2,
 * two replicas in dc1 and one in dc2. The coordinators place a key's dc1 replicas on both racks and
 * always put one in dc2, so the first three distinct nodes clockwise are often not its replicas.
 * The client routes by the replicas each node serves with the ring, so its preference list is the
 * server's for every key, and no write of it is forwarded.
 */
class RackAwareRoutingTest {
    @TempDir
    static Path dir;
    private static InProcessCluster cluster;
    private static RingkvClient client;

    @BeforeAll
    static void start() {
        cluster = InProcessCluster.start(dir, List.of("dc1/a", "dc1/a", "dc1/b", "dc2/a"),
                "perDataCenter: {dc1: 2, dc2: 1}, r: 1, w: 1, consistency: count");
        client = cluster.partitionAwareClient();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close(); // and the client
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_clients_replicas_are_the_servers_for_every_key_where_a_clockwise_walk_is_not() throws Exception {
        // What the client would route by without the served replicas: its walk over the same ring.
        ClusterAnswers.Ring ring = ClusterAnswers.ring(bytes(cluster.get(cluster.uri(1), "/api/v1/ring")));
        assertThat(ring.replicas()).as("the node serves each range's replicas").isNotNull();
        assertThat(client.ringVersion()).contains(ring.version());
        RingView walk = new RingView(ring.version(), ring.tokens(), ring.owners(), null, ring.nodeIds(), Map.<String, URI>of(),
                Map.of(), 3, "");
        int walkWrong = 0;
        for (int i = 0; i < 400; i++) {
            String key = "rack-" + i;
            List<String> server = cluster.replicasAt(1 + i % 4, key);
            assertThat(server).hasSize(3);
            assertThat(client.preferenceList(bytes(key))).as(key).isEqualTo(server);
            if (!walk.preferenceList(bytes(key)).equals(server)) {
                walkWrong++;
            }
        }
        assertThat(walkWrong).as("keys whose replicas a clockwise walk gets wrong (a test that could fail)")
                .isGreaterThan(40);
    }

    @Test
    void every_write_goes_straight_to_a_replica_so_no_node_forwards() {
        double before = cluster.forwards();
        for (int i = 0; i < 150; i++) {
            client.put("racked-" + i, null, bytes("v" + i));
        }
        assertThat(cluster.forwards() - before).isZero();
        for (int i = 0; i < 150; i++) {
            assertThat(client.get("racked-" + i).values()).containsExactly(bytes("v" + i));
        }
    }
}
