package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import io.ringkv.server.RingkvNode;
import io.ringkv.server.TestNodes;
import io.ringkv.server.config.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's page and JSON on a real two-node cluster over real sockets: the static files
 * from the jar at {@code /}, unknown paths still JSON 404s, the ring's tokens per node, one
 * node's live figures, and every node's gathered through one, with an error entry, not a
 * stalled answer, for a node that is gone. (The page itself runs in a real browser in
 * ringkv-it's DashboardBrowserTest.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardEndpointsTest {
    @TempDir
    static Path dir;
    private static final RingkvNode[] nodes = new RingkvNode[2];
    private static TestHttp http;

    @BeforeAll
    static void start() {
        NodeConfig first = TestNodes.member(1, dir.resolve("node1"), List.of(), 2, 1, 1);
        List<PeerAddress> seeds = List.of(first.cluster().peerAddress());
        nodes[0] = RingkvNode.start(TestNodes.withSeeds(first, seeds));
        nodes[1] = RingkvNode.start(TestNodes.member(2, dir.resolve("node2"), seeds, 2, 1, 1));
        http = new TestHttp(nodes[0].baseUrl());
        await("both nodes own tokens in node1's ring", () -> http.get("/api/v1/ring").json().path("nodes").size() == 2);
    }

    @AfterAll
    static void stop() {
        for (RingkvNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    @Order(1)
    void the_page_and_its_files_are_served_from_the_jar_and_unknown_paths_stay_json_404s() {
        TestHttp.Response page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<svg id=\"ring\"").contains("/dashboard/dashboard.js").doesNotContain("https://");

        TestHttp.Response script = http.get("/dashboard/dashboard.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.text().replace("'http://www.w3.org/2000/svg'", "")).as("nothing fetched from elsewhere")
                .contains("/api/v1/stats/cluster").contains("storage.memtables").doesNotContain("http://").doesNotContain("https://");
        assertThat(http.get("/dashboard/dashboard.css").header("Content-Type")).startsWith("text/css");

        for (String unknown : List.of("/index.html", "/dashboard/", "/dashboard/other.js", "/favicon.ico")) {
            TestHttp.Response missing = http.get(unknown);
            assertThat(missing.status()).as(unknown).isEqualTo(404);
            assertThat(missing.json().path("error").asText()).isEqualTo("no_route");
        }
        assertThat(http.postJson("/", "{}").status()).isEqualTo(405);
    }

    @Test
    @Order(2)
    void the_ring_lists_every_owners_tokens_in_ring_order_with_a_version() {
        JsonNode ring = http.get("/api/v1/ring").json();
        assertThat(ring.path("node").asText()).isEqualTo("node1");
        assertThat(ring.path("version").asText()).matches("[0-9a-f]{16}");
        List<String> owners = new ArrayList<>();
        int total = 0;
        for (JsonNode owner : ring.path("nodes")) {
            owners.add(owner.path("id").asText());
            List<String> tokens = new ArrayList<>();
            owner.path("tokens").forEach(t -> tokens.add(t.asText()));
            assertThat(tokens).isNotEmpty().isSorted().allMatch(t -> t.matches("[0-9a-f]{32}"));
            assertThat(tokens.size()).isEqualTo(nodes[0].membership().clusterView().ring().tokensOf(owner.path("id").asText()).size());
            total += tokens.size();
        }
        assertThat(owners).containsExactly("node1", "node2");
        assertThat(ring.path("tokens").asInt()).isEqualTo(total).isEqualTo(nodes[0].membership().clusterView().ring().tokenCount());
        assertThat(http.get("/api/v1/ring").json().path("version").asText()).as("same ring, same version")
                .isEqualTo(ring.path("version").asText());
        assertThat(new TestHttp(nodes[1].baseUrl()).get("/api/v1/ring").json().path("version").asText())
                .as("node2 sees the same ring").isEqualTo(ring.path("version").asText());
        assertThat(http.get("/api/v1/ring?x=1").status()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void each_tokens_replicas_are_the_nodes_own_preference_list() {
        JsonNode ring = http.get("/api/v1/ring").json();
        Ring own = nodes[0].membership().clusterView().ring();
        JsonNode owners = ring.path("nodes");
        for (JsonNode owner : owners) {
            assertThat(owner.path("replicas").size()).isEqualTo(owner.path("tokens").size());
            for (int t = 0; t < owner.path("tokens").size(); t++) {
                List<String> replicas = new ArrayList<>();
                owner.path("replicas").get(t).forEach(i -> replicas.add(owners.get(i.asInt()).path("id").asText()));
                Token token = Token.parse(owner.path("tokens").get(t).asText());
                assertThat(replicas).isEqualTo(own.preferenceList(token, ReplicationStrategy.simple(2)).replicas());
            }
        }
    }

    @Test
    @Order(2)
    void the_rings_version_is_its_etag_and_if_none_match_with_it_is_a_304_without_a_body() {
        TestHttp.Response full = http.get("/api/v1/ring");
        String etag = "\"" + full.json().path("version").asText() + "\"";
        assertThat(full.header("ETag")).isEqualTo(etag);

        TestHttp.Response notModified = http.method("GET", "/api/v1/ring", null, "If-None-Match", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(notModified.header("Content-Length")).as("a 304 has no content: no length").isNull();
        assertThat(new TestHttp(nodes[1].baseUrl()).method("GET", "/api/v1/ring", null, "If-None-Match", etag).status())
                .as("node2 holds the same ring").isEqualTo(304);

        TestHttp.Response stale = http.method("GET", "/api/v1/ring", null, "If-None-Match", "\"0000000000000000\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.json().path("nodes").size()).isEqualTo(2);
        assertThat(http.get("/health").status()).as("the connection after a 304 still works").isEqualTo(200);
    }

    @Test
    @Order(3)
    void stats_show_the_last_seconds_requests_and_the_store() {
        for (int i = 0; i < 50; i++) {
            assertThat(http.postJson("/api/v1/put", "{\"key\": \"k" + i + "\", \"value\": \"v\"}").status()).isEqualTo(200);
            assertThat(http.get("/api/v1/getValue?key=k" + i).status()).isEqualTo(200);
        }
        await("the puts show in the last complete seconds",
                () -> http.get("/api/v1/stats").json().path("operations").path("put").path("perSecond").asDouble() > 0);
        JsonNode stats = http.get("/api/v1/stats").json();
        assertThat(stats.path("node").asText()).isEqualTo("node1");
        assertThat(stats.path("windowSeconds").asInt()).isPositive();
        JsonNode put = stats.path("operations").path("put");
        assertThat(put.path("perSecond").asDouble() * stats.path("windowSeconds").asInt()).isBetween(1.0, 50.0);
        assertThat(put.path("p50Millis").asDouble()).isPositive().isLessThanOrEqualTo(put.path("p99Millis").asDouble());
        assertThat(stats.path("operations").path("get").path("perSecond").asDouble()).isPositive();
        assertThat(stats.path("operations").path("delete").path("perSecond").asDouble()).as("reported, though none ran").isZero();
        assertThat(stats.path("storage").path("diskBytes").asLong()).as("commit log at least").isPositive();
        assertThat(stats.path("storage").path("memtableBytes").asLong()).isPositive();
        assertThat(stats.path("storage").path("memtables").asInt()).as("50 small puts: the active memtable, none awaiting a flush")
                .isEqualTo(1);
        assertThat(stats.path("storage").has("sstables")).isTrue();
        assertThat(stats.path("hints").path("pending").asLong()).isZero();
        assertThat(stats.has("repair")).isTrue();
        assertThat(stats.has("streaming")).isTrue();
    }

    @Test
    @Order(4)
    void cluster_stats_gather_every_node_through_one_and_name_the_one_that_is_gone() {
        JsonNode both = http.get("/api/v1/stats/cluster").json();
        assertThat(both.path("node").asText()).isEqualTo("node1");
        assertThat(both.path("nodes").path("node1").path("node").asText()).isEqualTo("node1");
        assertThat(both.path("nodes").path("node2").path("node").asText()).as(both.toString()).isEqualTo("node2");
        assertThat(both.path("nodes").path("node2").path("storage").path("memtables").asInt()).as(both.toString()).isEqualTo(1);

        nodes[1].close();
        long started = System.nanoTime();
        TestHttp.Response without = http.get("/api/v1/stats/cluster");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(without.status()).isEqualTo(200);
        assertThat(without.json().path("nodes").path("node1").has("operations")).isTrue();
        assertThat(without.json().path("nodes").path("node2").path("error").asText()).as(without.toString()).isNotEmpty();
        assertThat(tookMillis).as("a gone node costs at most its timeout").isLessThan(3_000);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(50); // real gossip rounds and real seconds pass on a real clock
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
