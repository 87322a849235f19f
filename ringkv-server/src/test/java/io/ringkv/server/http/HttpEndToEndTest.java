package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.server.RingkvNode;
import io.ringkv.server.TestNodes;
import io.ringkv.server.config.HttpConfig;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.storage.StorageEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real node (HTTP + quorum coordinator + LSM engine, as a one-node cluster with N = 1)
 * in-process on free ports over a temporary data directory: every endpoint, siblings and contexts (Dynamo §4.4), refused
 * requests storing nothing, and a restart keeping the data.
 */
class HttpEndToEndTest {
    @TempDir
    Path dir;

    private RingkvNode node;
    private TestHttp http;

    @BeforeEach
    void start() {
        startNode();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private NodeConfig config;

    private void startNode() {
        if (config == null) { // one-node cluster; the same ports again after a restart
            config = TestNodes.single(dir.resolve("data"));
        }
        node = RingkvNode.start(config);
        awaitJoined();
        http = new TestHttp(node.baseUrl());
    }

    /** A one-node cluster creates its ring a few gossip rounds after it starts. */
    private void awaitJoined() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!node.membership().hasJoined()) {
            assertThat(System.nanoTime()).as("the node owns tokens within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(20); // waiting for real gossip rounds on a real clock
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private TestHttp.Response put(String key, Object value, String context) {
        return context == null
                ? http.postJson("/api/v1/put", TestHttp.json("key", key, "value", value))
                : http.postJson("/api/v1/put", TestHttp.json("key", key, "value", value, "context", context));
    }

    private static List<String> values(TestHttp.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("values").forEach(v -> out.add(v.toString()));
        return out;
    }

    private StorageEngine engine() {
        return node.store().engine();
    }

    @Test
    void json_values_round_trip_with_their_context() {
        TestHttp.Response written = put("greeting", "hello", null);
        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(written.json().path("key").asText()).isEqualTo("greeting");
        assertThat(written.json().path("context").asText()).isNotEmpty();

        TestHttp.Response read = http.get("/api/v1/get?key=greeting");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("key").asText()).isEqualTo("greeting");
        assertThat(values(read)).containsExactly("\"hello\"");
        assertThat(read.json().path("context").asText()).isNotEmpty();

        put("cart", List.of("apple", "pear"), null);
        http.postJson("/api/v1/put", "{\"key\": \"profile\", \"value\": {\"name\": \"Ada\", \"score\": 1.50, \"big\": 123456789012345678901234567890}}");
        assertThat(values(http.get("/api/v1/get?key=cart"))).containsExactly("[\"apple\",\"pear\"]");
        TestHttp.Response profile = http.get("/api/v1/get?key=profile");
        assertThat(profile.json().path("values").get(0).path("name").asText()).isEqualTo("Ada");
        assertThat(profile.text()).as("numbers keep their digits").contains("\"score\":1.50").contains("123456789012345678901234567890");

        assertThat(http.get("/api/v1/get?key=absent").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/get?key=absent").json().has("context")).isFalse();
    }

    @Test
    void two_writes_without_context_are_siblings_and_a_write_with_the_context_resolves_them() {
        put("k", "from-alice", null);
        put("k", "from-bob", null);
        TestHttp.Response read = http.get("/api/v1/get?key=k");
        assertThat(values(read)).containsExactlyInAnyOrder("\"from-alice\"", "\"from-bob\"");

        TestHttp.Response merged = put("k", "merged", read.json().path("context").asText());
        assertThat(merged.status()).isEqualTo(200);
        assertThat(values(http.get("/api/v1/get?key=k"))).containsExactly("\"merged\"");

        // a write with the context of the previous write supersedes it too
        put("k", "again", merged.json().path("context").asText());
        assertThat(values(http.get("/api/v1/get?key=k"))).containsExactly("\"again\"");
    }

    @Test
    void a_delete_leaves_a_context_so_the_next_write_supersedes_it() {
        TestHttp.Response written = put("doomed", "v1", null);
        TestHttp.Response deleted = http.postJson("/api/v1/delete",
                TestHttp.json("key", "doomed", "context", written.json().path("context").asText()));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.json().path("context").asText()).isNotEmpty();

        TestHttp.Response gone = http.get("/api/v1/get?key=doomed");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("error").asText()).isEqualTo("not_found");
        String tombstoneContext = gone.json().path("context").asText();
        assertThat(tombstoneContext).isNotEmpty();

        put("doomed", "v2", tombstoneContext);
        TestHttp.Response back = http.get("/api/v1/get?key=doomed");
        assertThat(values(back)).containsExactly("\"v2\"");
    }

    @Test
    void raw_bytes_and_json_share_one_key_space() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 'x'};
        TestHttp.Response put = http.method("PUT", "/api/v1/kv/a%2Fb%20c", bytes, "Content-Type", "application/octet-stream");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        String context = put.header("X-Ringkv-Context");
        assertThat(context).isNotEmpty().isEqualTo(put.json().path("context").asText());

        TestHttp.Response raw = http.method("GET", "/api/v1/kv/a%2Fb%20c", null);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("content-type")).isEqualTo("application/octet-stream");
        assertThat(raw.body()).containsExactly(bytes);
        assertThat(raw.header("X-Ringkv-Context")).isNotEmpty();

        // the same key through the JSON API: binary values render as {"base64": ...}
        TestHttp.Response json = http.get("/api/v1/get?key=a%2Fb+c");
        assertThat(json.json().path("values").get(0).path("base64").asText()).isEqualTo(Base64.getEncoder().encodeToString(bytes));

        // a JSON value read through /kv comes back as its JSON text
        put("doc", java.util.Map.of("a", 1), null);
        TestHttp.Response doc = http.method("GET", "/api/v1/kv/doc", null);
        assertThat(doc.header("content-type")).isEqualTo("application/json");
        assertThat(doc.text()).isEqualTo("{\"a\":1}");

        // a raw PUT declared as JSON is stored as JSON
        http.method("PUT", "/api/v1/kv/declared", "[1, 2]".getBytes(), "Content-Type", "application/json; charset=utf-8");
        assertThat(values(http.get("/api/v1/get?key=declared"))).containsExactly("[1,2]");
    }

    @Test
    void raw_siblings_answer_300_with_a_listing_and_the_context_header_resolves_them() {
        http.method("PUT", "/api/v1/kv/s", "one".getBytes(), "Content-Type", "application/octet-stream");
        http.method("PUT", "/api/v1/kv/s", "\"two\"".getBytes(), "Content-Type", "application/json");
        TestHttp.Response listing = http.method("GET", "/api/v1/kv/s", null);
        assertThat(listing.status()).isEqualTo(300);
        assertThat(listing.header("content-type")).isEqualTo("application/json");
        List<String> versions = new ArrayList<>();
        listing.json().path("versions").forEach(v -> versions.add(v.toString()));
        assertThat(versions).containsExactlyInAnyOrder(
                "{\"contentType\":\"application/octet-stream\",\"base64\":\"" + Base64.getEncoder().encodeToString("one".getBytes()) + "\"}",
                "{\"contentType\":\"application/json\",\"value\":\"two\"}");
        String context = listing.header("X-Ringkv-Context");
        assertThat(context).isEqualTo(listing.json().path("context").asText());

        http.method("PUT", "/api/v1/kv/s", "resolved".getBytes(), "X-Ringkv-Context", context);
        TestHttp.Response single = http.method("GET", "/api/v1/kv/s", null);
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.text()).isEqualTo("resolved");

        TestHttp.Response deleted = http.method("DELETE", "/api/v1/kv/s", null, "X-Ringkv-Context", single.header("X-Ringkv-Context"));
        assertThat(deleted.status()).isEqualTo(200);
        TestHttp.Response gone = http.method("GET", "/api/v1/kv/s", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.header("X-Ringkv-Context")).isNotEmpty();
    }

    @Test
    void every_refused_request_stores_nothing() {
        long before = engine().stats().userBytesWritten();
        record Case(String method, String path, String body, int status, String code) {
            @Override
            public String toString() {
                return method + " " + path + " (" + (body == null ? 0 : body.length()) + " chars)";
            }
        }
        String longKey = "k".repeat(1025);
        List<Case> cases = List.of(
                new Case("POST", "/api/v1/put", "{\"key\": \"a\", ", 400, "invalid_json"),
                new Case("POST", "/api/v1/put", "{\"value\": \"x\"}", 400, "invalid_request"),
                new Case("POST", "/api/v1/put", "{\"key\": \"\", \"value\": \"x\"}", 400, "invalid_request"),
                new Case("POST", "/api/v1/put", "{\"key\": 1, \"value\": \"x\"}", 400, "invalid_request"),
                new Case("POST", "/api/v1/put", "{\"key\": \"a\", \"value\": 1}", 400, "invalid_request"),
                new Case("POST", "/api/v1/put", "{\"key\": \"a\", \"value\": \"x\", \"context\": \"not-a-context\"}", 400, "invalid_request"),
                new Case("POST", "/api/v1/put", "{\"key\": \"a\", \"value\": \"x\", \"context\": \"\"}", 400, "invalid_request"),
                new Case("POST", "/api/v1/delete", "{\"key\": \"a\", \"context\": \"AAAA\"}", 400, "invalid_request"),
                new Case("POST", "/api/v1/put?w=2", "{\"key\": \"a\", \"value\": \"x\"}", 400, "invalid_parameter"),
                new Case("POST", "/api/v1/put", TestHttp.json("key", longKey, "value", "x"), 413, "key_too_large"),
                new Case("POST", "/api/v1/put", TestHttp.json("key", "a", "value", "v".repeat(10240)), 413, "value_too_large"),
                new Case("PUT", "/api/v1/kv/a", "v".repeat(10240), 413, "value_too_large"),
                new Case("PUT", "/api/v1/kv/a?w=0", "v", 400, "invalid_parameter"),
                new Case("DELETE", "/api/v1/kv/a?r=x", null, 400, "invalid_parameter"),
                new Case("POST", "/api/v1/kv/a", "v", 405, "method_not_allowed"),
                new Case("PUT", "/api/v1/put", "{}", 405, "method_not_allowed"),
                new Case("POST", "/api/v1/putt", "{}", 404, "no_route"));
        for (Case c : cases) {
            String type = c.path().startsWith("/api/v1/kv/") ? "application/octet-stream" : "application/json";
            TestHttp.Response r = http.method(c.method(), c.path(), c.body() == null ? null : c.body().getBytes(StandardCharsets.UTF_8),
                    "Content-Type", type);
            assertThat(r.status()).as(c + " -> " + r).isEqualTo(c.status());
            assertThat(r.json().path("error").asText()).as(c + " -> " + r).isEqualTo(c.code());
            assertThat(r.json().path("message").asText()).as(c + " -> " + r).isNotBlank();
        }
        TestHttp.Response a = http.get("/api/v1/get?key=a");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().has("context")).as("not even a tombstone was written").isFalse();
        assertThat(engine().stats().userBytesWritten()).isEqualTo(before);
    }

    @Test
    void health_and_metrics_include_request_and_storage_meters() {
        assertThat(http.get("/health").json().path("status").asText()).isEqualTo("serving");
        put("m", "v", null);
        engine().flush();
        String metrics = http.get("/metrics").text();
        assertThat(metrics).contains("ringkv_http_requests_seconds_count{endpoint=\"put\",method=\"POST\",node=\"node1\",status=\"200\"} 1");
        assertThat(metrics).containsPattern("ringkv_storage_flushes_seconds_count\\{node=\"node1\"} [1-9]");
        assertThat(metrics).containsPattern("ringkv_storage_live_tables\\{node=\"node1\"} [1-9]");
        assertThat(metrics).as("flushed: the fresh active memtable only").contains("ringkv_storage_memtables{node=\"node1\"} 1.0");
        assertThat(metrics).containsPattern("ringkv_storage_user_bytes_written_total\\{node=\"node1\"} [1-9]");
        assertThat(metrics).contains("ringkv_storage_corruptions_total{node=\"node1\"} 0.0");
        assertThat(metrics).contains("ringkv_storage_commitlog_syncs_seconds_count");
        assertThat(metrics).contains("ringkv_storage_write_stalls_seconds_count");
        assertThat(metrics).contains("ringkv_storage_compactions_seconds_count");
        assertThat(metrics).containsPattern("ringkv_gossip_rounds_total\\{node=\"node1\"} [1-9]");
        assertThat(metrics).contains("ringkv_gossip_members{liveness=\"UP\",node=\"node1\"} 1.0");
        assertThat(metrics).contains("ringkv_gossip_members{liveness=\"DOWN\",node=\"node1\"} 0.0");
        assertThat(metrics).contains("ringkv_cluster_ring_nodes{node=\"node1\"} 1.0");
        assertThat(metrics).contains("ringkv_transport_frames_received_total{node=\"node1\"}");
        assertThat(metrics).containsPattern("ringkv_coordinator_requests_seconds_count\\{node=\"node1\",op=\"put\",outcome=\"success\"} [1-9]");
    }

    @Test
    void the_cluster_endpoint_describes_a_one_node_cluster() {
        TestHttp.Response r = http.get("/api/v1/cluster");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("self").asText()).isEqualTo("node1");
        assertThat(r.json().path("members")).hasSize(1);
        var self = r.json().path("members").get(0);
        assertThat(self.path("id").asText()).isEqualTo("node1");
        assertThat(self.path("status").asText()).isEqualTo("NORMAL");
        assertThat(self.path("liveness").asText()).isEqualTo("UP");
        assertThat(self.path("tokens").asInt()).isEqualTo(256);
        assertThat(self.path("ringShare").asDouble()).isEqualTo(1.0);
        assertThat(self.path("heartbeatAgeMillis").asLong()).isZero();
        assertThat(self.path("peer").asText()).isEqualTo(config.cluster().peerAddress().toString());
        assertThat(self.path("http").asText()).isEqualTo("127.0.0.1:" + config.http().port());
        assertThat(r.json().path("replication").toString()).isEqualTo("{\"n\":1,\"r\":1,\"w\":1,\"consistency\":\"count\"}");
        assertThat(http.get("/api/v1/cluster?x=1").status()).isEqualTo(400);
        assertThat(http.method("POST", "/api/v1/cluster", new byte[0]).status()).isEqualTo(405);
    }

    @Test
    void a_node_that_cannot_bind_its_port_fails_clearly_and_releases_its_store() {
        int taken = node.httpAddress().getPort();
        NodeConfig other = TestNodes.single(dir.resolve("other"));
        assertThatThrownBy(() -> RingkvNode.start(other.withHttp(new HttpConfig("127.0.0.1", taken, 8, 64 << 10, 1))))
                .hasMessageContaining("cannot listen on 127.0.0.1:" + taken);
        // the store and the peer port it opened were released again: the same directory and peer port work at once
        try (RingkvNode reopened = RingkvNode.start(other)) {
            assertThat(new TestHttp(reopened.baseUrl()).get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void a_restart_over_the_same_data_directory_keeps_the_data() {
        put("durable", "yes", null);
        put("durable", "also", null);
        http.method("PUT", "/api/v1/kv/raw", new byte[] {7, 8, 9});
        node.close();
        node = null;

        startNode();
        assertThat(values(http.get("/api/v1/get?key=durable"))).containsExactlyInAnyOrder("\"yes\"", "\"also\"");
        assertThat(http.method("GET", "/api/v1/kv/raw", null).body()).containsExactly(7, 8, 9);
    }
}
