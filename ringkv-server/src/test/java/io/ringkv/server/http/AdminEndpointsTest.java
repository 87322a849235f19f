package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.cluster.admin.AntiEntropyDisabledException;
import io.ringkv.cluster.admin.HintQueue;
import io.ringkv.cluster.admin.RangeRoot;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.server.config.HttpConfig;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoints ({@code /api/v1/admin/...}, docs/http-api.md "Admin") over a real socket,
 * with a fake {@code NodeAdmin}: each endpoint's answer, and every way a request is refused.
 */
class AdminEndpointsTest {
    private static final String FROM = "00000000000000000000000000000001";
    private static final String TO = "7fffffffffffffffffffffffffffffff";

    private final FakeNodeAdmin admin = new FakeNodeAdmin();
    private final AtomicReference<Optional<ClusterStatus.IdConflict>> idConflict = new AtomicReference<>(Optional.empty());
    private HttpServer server;
    private TestHttp http;

    @BeforeEach
    void start() {
        ClusterStatus status = new ClusterStatus("node1", List.of(member("node1", "UP"), member("node2", "UP"),
                member("node3", "DOWN")), 3, 2, 2, null);
        server = HttpServer.start(new HttpConfig("127.0.0.1", 0, 8, 32 << 10, 1), new ApiSettings("node1", 1024, 10240, 3),
                new FakeKvService(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> status, idConflict::get,
                admin, null);
        http = new TestHttp("http://127.0.0.1:" + server.address().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ClusterStatus.Member member(String id, String liveness) {
        return new ClusterStatus.Member(id, "NORMAL", liveness, 1, 2, 0, "127.0.0.1:9001", "127.0.0.1:8001", "dc1", "rack1",
                1.0, 256, 1.0 / 3);
    }

    private static void assertError(TestHttp.Response r, int status, String code, String messagePart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.json().path("error").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().path("message").asText()).as(r.toString()).contains(messagePart);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void replicas_lists_the_preference_list_in_order_with_the_token_and_each_replicas_liveness() {
        admin.replicas = List.of("node2", "node3", "node9");
        TestHttp.Response r = http.get("/api/v1/admin/replicas?key=" + encode("cart é/1"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("key").asText()).isEqualTo("cart é/1");
        assertThat(r.json().path("replicas").toString()).isEqualTo("[\"node2\",\"node3\",\"node9\"]");
        assertThat(r.json().path("token").asText()).isEqualTo(Token.of("cart é/1".getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(r.json().path("liveness").toString()).isEqualTo("{\"node2\":\"UP\",\"node3\":\"DOWN\",\"node9\":\"UNKNOWN\"}");
        assertThat(r.json().path("node").asText()).isEqualTo("node1");
        assertThat(admin.lastKey).isEqualTo("cart é/1".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_key_parameter_is_checked_as_a_get_checks_it() {
        for (String path : List.of("/api/v1/admin/replicas", "/api/v1/admin/local")) {
            assertError(http.get(path), 400, "invalid_parameter", "\"key\" is required");
            assertError(http.get(path + "?key="), 400, "invalid_request", "key must not be empty");
            assertError(http.get(path + "?key=" + "k".repeat(1025)), 413, "key_too_large", "1025 bytes; the limit is 1024");
            assertError(http.get(path + "?key=a&key=b"), 400, "invalid_parameter", "given 2 times");
            assertError(http.get(path + "?key=a&r=2"), 400, "invalid_parameter", "unknown query parameter \"r\" (allowed: key)");
            TestHttp.Response wrongMethod = http.method("POST", path + "?key=a", null);
            assertError(wrongMethod, 405, "method_not_allowed", "use GET");
            assertThat(wrongMethod.header("allow")).isEqualTo("GET");
        }
        assertThat(admin.calls).hasValue(0);
    }

    @Test
    void local_shows_this_nodes_own_versions_formatted_as_a_get_formats_them() {
        admin.local.put(ByteBuffer.wrap("cart".getBytes(StandardCharsets.UTF_8)), new GetResult(List.of(
                new StoredValue.Json("[\"apple\"]".getBytes(StandardCharsets.UTF_8)).encode(),
                new StoredValue.Binary(new byte[] {1, 2}).encode()), "c:1.2"));
        TestHttp.Response r = http.get("/api/v1/admin/local?key=cart");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"key\":\"cart\",\"values\":[[\"apple\"],{\"base64\":\"AQI=\"}],\"context\":\"c:1.2\"}");
    }

    @Test
    void local_is_404_when_this_node_stores_nothing_and_carries_the_context_of_a_tombstone() {
        TestHttp.Response none = http.get("/api/v1/admin/local?key=cart");
        assertError(none, 404, "not_found", "cart");
        assertThat(none.json().path("key").asText()).isEqualTo("cart");
        assertThat(none.json().has("context")).isFalse();

        admin.local.put(ByteBuffer.wrap("gone".getBytes(StandardCharsets.UTF_8)), new GetResult(List.of(), "c:7"));
        TestHttp.Response deleted = http.get("/api/v1/admin/local?key=gone");
        assertError(deleted, 404, "not_found", "gone");
        assertThat(deleted.json().path("context").asText()).isEqualTo("c:7");
    }

    @Test
    void a_process_that_refused_its_node_id_shows_no_data_and_starts_no_repair_but_still_answers_the_views() {
        idConflict.set(Optional.of(new ClusterStatus.IdConflict("node1", true, "127.0.0.1:9001", "127.0.0.1:8001",
                "127.0.0.4:9004", "127.0.0.4:8004", "node id node1 is also claimed by ...")));
        assertError(http.get("/api/v1/admin/local?key=a"), 503, "node_refused", "also claimed");
        assertError(http.method("POST", "/api/v1/admin/repair", null), 503, "node_refused", "also claimed");
        assertThat(admin.calls).hasValue(0);
        assertThat(http.get("/api/v1/admin/replicas?key=a").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/admin/hints").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/admin/repairs").status()).isEqualTo(200);
    }

    @Test
    void hints_lists_each_target_queue_with_totals() {
        admin.hints = List.of(new HintQueue("node2", true, 0, 0, 5, 5, 0), new HintQueue("node3", false, 12, 3456, 12, 0, 1));
        TestHttp.Response r = http.get("/api/v1/admin/hints");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"node\":\"node1\",\"hints\":["
                + "{\"target\":\"node2\",\"targetUp\":true,\"pending\":0,\"bytes\":0,\"stored\":5,\"delivered\":5,\"expired\":0},"
                + "{\"target\":\"node3\",\"targetUp\":false,\"pending\":12,\"bytes\":3456,\"stored\":12,\"delivered\":0,\"expired\":1}],"
                + "\"pending\":12,\"bytes\":3456}");
        assertError(http.get("/api/v1/admin/hints?target=node2"), 400, "invalid_parameter",
                "/api/v1/admin/hints takes no query parameters, got \"target\"");
    }

    @Test
    void starting_a_repair_is_202_with_its_progress_and_where_to_follow_it() {
        TestHttp.Response r = http.method("POST", "/api/v1/admin/repair", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.header("location")).isEqualTo("/api/v1/admin/repair?id=1");
        assertThat(r.text()).isEqualTo("{\"id\":1,\"trigger\":\"manual\",\"scope\":\"all ranges\",\"state\":\"RUNNING\","
                + "\"rangesTotal\":4,\"rangesDone\":0,\"rangesDiffering\":0,\"keysExchanged\":0,\"bytesExchanged\":0,"
                + "\"startedAtMillis\":1700000000000,\"elapsedMillis\":0,\"error\":null}");
        assertThat(admin.lastRange).isEmpty();

        TestHttp.Response ranged = http.method("POST", "/api/v1/admin/repair?range=" + FROM + ":" + TO, null);
        assertThat(ranged.status()).as(ranged.toString()).isEqualTo(202);
        assertThat(admin.lastRange).contains(new TokenRange(Token.parse(FROM), Token.parse(TO)));
        assertThat(ranged.json().path("id").asLong()).isEqualTo(2);
    }

    @Test
    void a_bad_range_or_a_body_is_400_and_starts_nothing() {
        String path = "/api/v1/admin/repair";
        assertError(http.method("POST", path + "?range=" + FROM, null), 400, "invalid_parameter",
                "range must be FROM:TO, two tokens of 32 hex digits");
        assertError(http.method("POST", path + "?range=" + FROM + ":" + TO + ":" + TO, null), 400, "invalid_parameter", "FROM:TO");
        assertError(http.method("POST", path + "?range=" + FROM + ":abc", null), 400, "invalid_parameter",
                "range TO is not a token: a token is 32 hex digits, got 3");
        assertError(http.method("POST", path + "?range=" + "g".repeat(32) + ":" + TO, null), 400, "invalid_parameter",
                "range FROM is not a token: a token is hex digits only");
        assertError(http.method("POST", path + "?range=" + FROM + ":" + TO + "&range=" + FROM + ":" + TO, null), 400,
                "invalid_parameter", "given 2 times");
        assertError(http.method("POST", path + "?ranges=x", null), 400, "invalid_parameter", "unknown query parameter \"ranges\"");
        assertError(http.method("POST", path, "{\"range\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request",
                "takes no body");
        assertThat(admin.calls).hasValue(0);
        assertThat(admin.repairs).isEmpty();
    }

    @Test
    void a_range_the_node_refuses_is_400_with_its_reason() {
        admin.failWith = new IllegalArgumentException("range (1, 7f..] overlaps none of node1's ranges");
        assertError(http.method("POST", "/api/v1/admin/repair?range=" + FROM + ":" + TO, null), 400, "invalid_parameter",
                "overlaps none of node1's ranges");
    }

    @Test
    void decommissioning_is_202_then_followed_at_streaming_and_a_node_that_cannot_leave_is_409() {
        assertError(http.get("/api/v1/admin/streaming"), 404, "not_found", "has not joined or left by streaming");

        TestHttp.Response started = http.method("POST", "/api/v1/admin/decommission", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.header("location")).isEqualTo("/api/v1/admin/streaming");
        assertThat(started.text()).isEqualTo("{\"kind\":\"decommission\",\"state\":\"WAITING\",\"rangesTotal\":0,"
                + "\"rangesDone\":0,\"keys\":0,\"bytes\":0,\"bytesPerSecond\":0,\"etaMillis\":-1,"
                + "\"startedAtMillis\":1700000000000,\"elapsedMillis\":5,\"unverified\":0,\"error\":null}");
        admin.streaming = new StreamProgress("decommission", StreamProgress.State.STREAMING, 40, 10, 1_000, 250_000, 50_000,
                15_000, 1_700_000_000_000L, 5_000, 0, null);
        TestHttp.Response following = http.get("/api/v1/admin/streaming");
        assertThat(following.status()).isEqualTo(200);
        assertThat(following.json().path("rangesDone").asInt()).isEqualTo(10);
        assertThat(following.json().path("etaMillis").asLong()).isEqualTo(15_000);

        admin.cannotLeave = new IllegalStateException("node node1 is JOINING, not NORMAL: nothing to decommission");
        assertError(http.method("POST", "/api/v1/admin/decommission", null), 409, "invalid_state", "is JOINING, not NORMAL");
        assertError(http.method("POST", "/api/v1/admin/decommission", "{}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request", "takes no body");
    }

    @Test
    void removenode_names_the_node_and_a_node_that_cannot_be_removed_is_409() {
        TestHttp.Response r = http.method("POST", "/api/v1/admin/removenode?node=node3", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(admin.removed).isEqualTo("node3");
        assertThat(r.json().path("removed").asText()).isEqualTo("node3");
        assertError(http.method("POST", "/api/v1/admin/removenode", null), 400, "invalid_parameter", "\"node\" is required");
        admin.cannotLeave = new IllegalStateException("node node3 is UP, not DOWN");
        assertError(http.method("POST", "/api/v1/admin/removenode?node=node3", null), 409, "invalid_state", "is UP, not DOWN");
    }

    @Test
    void a_repair_is_followed_by_id_and_an_unknown_id_is_404() {
        admin.repairs.put(3L, FakeNodeAdmin.progress(3, "all ranges", RepairProgress.State.FAILED, 2, "node3 did not answer"));
        TestHttp.Response r = http.get("/api/v1/admin/repair?id=3");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("state").asText()).isEqualTo("FAILED");
        assertThat(r.json().path("rangesDone").asInt()).isEqualTo(2);
        assertThat(r.json().path("keysExchanged").asLong()).isEqualTo(20);
        assertThat(r.json().path("bytesExchanged").asLong()).isEqualTo(2000);
        assertThat(r.json().path("elapsedMillis").asLong()).isEqualTo(500);
        assertThat(r.json().path("error").asText()).isEqualTo("node3 did not answer");

        assertError(http.get("/api/v1/admin/repair?id=99"), 404, "not_found", "no repair 99 on node1");
        assertError(http.get("/api/v1/admin/repair"), 400, "invalid_parameter", "\"id\" is required");
        assertError(http.get("/api/v1/admin/repair?id=abc"), 400, "invalid_parameter", "got \"abc\"");
        assertError(http.get("/api/v1/admin/repair?id=0"), 400, "invalid_parameter", "from 1), got 0");
        assertError(http.get("/api/v1/admin/repair?id=3&key=a"), 400, "invalid_parameter", "unknown query parameter \"key\"");
        TestHttp.Response wrongMethod = http.method("DELETE", "/api/v1/admin/repair?id=3", null);
        assertError(wrongMethod, 405, "method_not_allowed", "use GET, POST");
        assertThat(wrongMethod.header("allow")).isEqualTo("GET, POST");
    }

    @Test
    void repairs_lists_every_run_newest_first() {
        assertThat(http.get("/api/v1/admin/repairs").text()).isEqualTo("{\"repairs\":[]}");
        admin.repairs.put(1L, FakeNodeAdmin.progress(1, "all ranges", RepairProgress.State.DONE, 4, null));
        admin.repairs.put(2L, FakeNodeAdmin.progress(2, "all ranges", RepairProgress.State.RUNNING, 1, null));
        TestHttp.Response r = http.get("/api/v1/admin/repairs");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("repairs")).hasSize(2);
        assertThat(r.json().path("repairs").get(0).path("id").asLong()).isEqualTo(2);
        assertThat(r.json().path("repairs").get(1).path("state").asText()).isEqualTo("DONE");
        assertError(http.get("/api/v1/admin/repairs?limit=5"), 400, "invalid_parameter", "takes no query parameters");
    }

    @Test
    void ranges_lists_each_range_with_its_replicas_and_merkle_root_in_hex() {
        assertThat(http.get("/api/v1/admin/ranges").text()).isEqualTo("{\"node\":\"node1\",\"ranges\":[]}");
        admin.ranges = List.of(
                new RangeRoot(new TokenRange(Token.parse(FROM), Token.parse(TO)), List.of("node1", "node2", "node3"), 0x1234L),
                new RangeRoot(new TokenRange(Token.parse(TO), Token.parse(FROM)), List.of("node3", "node1", "node2"), -1L));
        TestHttp.Response r = http.get("/api/v1/admin/ranges");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"node\":\"node1\",\"ranges\":["
                + "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"replicas\":[\"node1\",\"node2\",\"node3\"],"
                + "\"root\":\"0000000000001234\"},"
                + "{\"from\":\"" + TO + "\",\"to\":\"" + FROM + "\",\"replicas\":[\"node3\",\"node1\",\"node2\"],"
                + "\"root\":\"ffffffffffffffff\"}]}");
        assertError(http.get("/api/v1/admin/ranges?node=node2"), 400, "invalid_parameter", "takes no query parameters");
        TestHttp.Response wrongMethod = http.method("POST", "/api/v1/admin/ranges", null);
        assertError(wrongMethod, 405, "method_not_allowed", "use GET");
    }

    @Test
    void a_node_without_anti_entropy_answers_ranges_and_repair_409_saying_so() {
        admin.failWith = new AntiEntropyDisabledException("no Merkle trees to report");
        assertError(http.get("/api/v1/admin/ranges"), 409, "anti_entropy_disabled",
                "node1: no Merkle trees to report: anti-entropy is disabled on this node (antiEntropy.enabled: false)");
        assertError(http.method("POST", "/api/v1/admin/repair", null), 409, "anti_entropy_disabled", "antiEntropy.enabled: false");
    }

    @Test
    void compact_flushes_and_compacts_once_and_is_shut_while_the_node_id_is_refused() {
        TestHttp.Response r = http.method("POST", "/api/v1/admin/compact", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"node\":\"node1\",\"tablesBefore\":3,\"tablesAfter\":1,\"elapsedMillis\":42}");
        assertThat(admin.compactions).hasValue(1);
        assertError(http.method("POST", "/api/v1/admin/compact", "{}".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request",
                "takes no body");
        assertError(http.get("/api/v1/admin/compact"), 405, "method_not_allowed", "use POST");
        idConflict.set(Optional.of(new ClusterStatus.IdConflict("node1", true, "127.0.0.1:9001", "127.0.0.1:8001",
                "127.0.0.4:9004", "127.0.0.4:8004", "node id node1 is also claimed by ...")));
        assertError(http.method("POST", "/api/v1/admin/compact", null), 503, "node_refused", "also claimed");
        assertThat(admin.compactions).hasValue(1);
    }

    @Test
    void a_storage_failure_behind_an_admin_endpoint_is_500_store_failure() {
        admin.failWith = new StoreFailureException("checksum mismatch in table 12", new IOException("crc"));
        assertError(http.get("/api/v1/admin/local?key=a"), 500, "store_failure", "checksum mismatch");
    }

    @Test
    void a_server_without_an_admin_has_no_admin_routes() {
        try (HttpServer plain = HttpServer.start(new HttpConfig("127.0.0.1", 0, 8, 32 << 10, 1),
                new ApiSettings("node1", 1024, 10240, 3), new FakeKvService(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            TestHttp other = new TestHttp("http://127.0.0.1:" + plain.address().getPort());
            assertError(other.get("/api/v1/admin/replicas?key=a"), 404, "no_route", "/api/v1/admin/replicas");
        }
    }
}
