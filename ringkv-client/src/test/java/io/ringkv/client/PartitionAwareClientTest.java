package io.ringkv.client;

import static io.ringkv.client.InProcessCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition-aware client against a real 3-node cluster (N = 2, R = W = 1) in this JVM, over
 * real sockets: requests go straight to a replica of their key (Dynamo §4.3, §6.4: the client
 * coordinates, saving the forwarding hop); the client asks for the ring with the version it
 * holds and keeps it on a 304, follows the ring when a node joins and keeps serving when one
 * stops. A node forwards a write it is not a replica for ({@code ringkv_coordinator_forwards_total}),
 * so a client that sends every write to a replica leaves that counter at 0 on every node; a plain
 * client, as a check that the counter counts, does not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionAwareClientTest {
    @TempDir
    static Path dir;
    private static InProcessCluster cluster;
    private static RingkvClient client;

    @BeforeAll
    static void start() {
        cluster = InProcessCluster.start(dir, 3, 2);
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
    @Order(1)
    void every_write_goes_straight_to_a_replica_so_no_node_forwards() {
        double before = cluster.forwards();
        for (int i = 0; i < 150; i++) {
            client.put("pa-" + i, null, bytes("v" + i));
        }
        assertThat(cluster.forwards() - before).isZero();
        for (int i = 0; i < 150; i++) {
            assertThat(client.get("pa-" + i).values()).containsExactly(bytes("v" + i));
        }

        try (RingkvClient plain = RingkvClient.builder().nodes(cluster.uri(1).toString(), cluster.uri(2).toString(),
                cluster.uri(3).toString()).build()) {
            double beforePlain = cluster.forwards();
            for (int i = 0; i < 150; i++) {
                plain.put("plain-" + i, null, bytes("v"));
            }
            assertThat(cluster.forwards() - beforePlain).as("a plain client's writes are forwarded by non-replicas").isPositive();
        }
    }

    @Test
    @Order(2)
    void the_clients_preference_list_is_the_servers_and_reads_reach_only_those_nodes() {
        for (int i = 0; i < 5; i++) {
            String key = "read-" + i;
            client.put(key, null, bytes("v"));
            List<String> server = cluster.replicasAt(1, key);
            assertThat(client.preferenceList(bytes(key))).isEqualTo(server);

            double[] before = kvGets();
            for (int r = 0; r < 10; r++) {
                client.get(key);
            }
            double[] after = kvGets();
            for (int k = 1; k <= 3; k++) {
                if (!server.contains(cluster.id(k))) {
                    assertThat(after[k] - before[k]).as("GETs of %s at %s, not a replica", key, cluster.id(k)).isZero();
                }
            }
            assertThat(after[1] + after[2] + after[3] - before[1] - before[2] - before[3]).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    @Order(2)
    void the_ring_is_asked_for_with_the_version_held_and_kept_when_the_node_answers_304() {
        String version = client.ringVersion().orElseThrow();
        List<String> before = client.preferenceList(bytes("etag-key"));
        double notModified = ringAnswers("304");
        double full = ringAnswers("200");
        for (int i = 0; i < 6; i++) {
            client.refreshRingNow(); // as after a failed request: the ring is asked for, with If-None-Match
        }
        assertThat(ringAnswers("304") - notModified).as("every ring request named the version held").isGreaterThanOrEqualTo(6);
        assertThat(ringAnswers("200")).as("no full ring sent while it had not changed").isEqualTo(full);
        assertThat(client.ringVersion()).contains(version);
        assertThat(client.preferenceList(bytes("etag-key"))).as("the view is kept").isEqualTo(before).isNotEmpty();
        client.put("etag-key", null, bytes("v")); // the pooled connections that carried the 304s still work
        assertThat(client.get("etag-key").values()).containsExactly(bytes("v"));
    }

    /** GET /api/v1/ring answers with {@code status}, summed over the nodes. */
    private static double ringAnswers(String status) {
        double sum = 0;
        for (int k = 1; k <= cluster.size(); k++) {
            sum += cluster.metric(k, "ringkv_http_requests_seconds_count", "endpoint=\"ring\"", "status=\"" + status + "\"");
        }
        return sum;
    }

    private static double[] kvGets() {
        double[] gets = new double[4];
        for (int k = 1; k <= 3; k++) {
            gets[k] = cluster.metric(k, "ringkv_http_requests_seconds_count", "endpoint=\"kv\",method=\"GET\"");
        }
        return gets;
    }

    @Test
    @Order(3)
    void a_node_that_joins_is_learned_from_the_ring_and_gets_its_keys_directly() {
        String before = client.ringVersion().orElseThrow();
        cluster.join(4);
        await("the client routes by the ring with node4", () -> !client.ringVersion().orElseThrow().equals(before)
                && client.ringVersion().orElseThrow().equals(ringVersionAt(1)));

        double forwardsBefore = cluster.forwards();
        double node4Before = cluster.metric(4, "ringkv_coordinator_requests_seconds_count", "op=\"put\"");
        for (int i = 0; i < 150; i++) {
            client.put("joined-" + i, null, bytes("v"));
        }
        assertThat(cluster.forwards() - forwardsBefore).isZero();
        assertThat(cluster.metric(4, "ringkv_coordinator_requests_seconds_count", "op=\"put\"") - node4Before)
                .as("node4 coordinates writes of its keys").isPositive();
    }

    private static String ringVersionAt(int k) {
        String ring = cluster.get(cluster.uri(k), "/api/v1/ring");
        int at = ring.indexOf("\"version\":\"") + 11;
        return ring.substring(at, ring.indexOf('"', at));
    }

    @Test
    @Order(4)
    void when_a_node_stops_every_request_is_still_served_by_another_replica() {
        cluster.stop(2);
        // W = R = 1: the other replica (or any node, with a hint) serves. Not read-your-writes: with
        // R = 1 a read may be answered first by a stand-in that has nothing yet (sloppy quorum, §4.6).
        for (int i = 0; i < 100; i++) {
            assertThat(client.put("after-stop-" + i, null, bytes("v"))).isNotEmpty();
            client.get("after-stop-" + i);
        }
    }
}
