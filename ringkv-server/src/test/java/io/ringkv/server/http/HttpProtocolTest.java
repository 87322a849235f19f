package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.server.config.HttpConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP protocol over a real socket with a fake store: routing, validation, limits, the
 * error table, the in-flight limit and pipelining. End-to-end behaviour over the real store is
 * in {@code HttpEndToEndTest}.
 */
class HttpProtocolTest {
    private static final int MAX_IN_FLIGHT = 2;
    private static final int BODY_CAP = 32 << 10;

    private final FakeKvService service = new FakeKvService();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpServer server;
    private TestHttp http;

    @BeforeEach
    void start() {
        server = HttpServer.start(new HttpConfig("127.0.0.1", 0, MAX_IN_FLIGHT, BODY_CAP, 1),
                new ApiSettings("test-node", 1024, 10240, 1), service, registry);
        http = new TestHttp("http://127.0.0.1:" + server.address().getPort());
    }

    @AfterEach
    void stop() {
        CountDownLatch latch = service.blockUntil;
        if (latch != null) {
            latch.countDown();
        }
        server.close();
    }

    private void assertError(TestHttp.Response r, int status, String code, String messagePart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.json().path("error").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().path("message").asText()).as(r.toString()).contains(messagePart);
    }

    private void assertNothingStored() {
        assertThat(service.storedKeys()).isZero();
    }

    @Test
    void unknown_paths_are_404_and_wrong_methods_405_with_allow() {
        assertError(http.get("/api/v2/get?key=a"), 404, "no_route", "/api/v2/get");
        assertError(http.get("/"), 404, "no_route", "no endpoint");

        TestHttp.Response r = http.get("/api/v1/put");
        assertError(r, 405, "method_not_allowed", "use POST");
        assertThat(r.header("allow")).isEqualTo("POST");
        r = http.method("POST", "/api/v1/kv/a", new byte[1]);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("allow")).isEqualTo("DELETE, GET, PUT");
        assertThat(http.method("DELETE", "/api/v1/get?key=a", null).header("allow")).isEqualTo("GET");
        assertThat(service.calls).hasValue(0);
    }

    @Test
    void malformed_or_mistyped_json_is_400_and_stores_nothing() {
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", "), 400, "invalid_json", "not valid JSON");
        assertError(http.postJson("/api/v1/put", ""), 400, "invalid_json", "empty");
        assertError(http.postJson("/api/v1/put", "{\"key\":\"a\",\"value\":\"x\"} trailing"), 400, "invalid_json", "");
        assertError(http.postJson("/api/v1/put", "{\"key\":\"a\",\"key\":\"b\",\"value\":\"x\"}"), 400, "invalid_json", "key");
        assertError(http.postJson("/api/v1/put", "[1, 2]"), 400, "invalid_request", "must be a JSON object");
        assertError(http.postJson("/api/v1/put", "{\"value\": \"x\"}"), 400, "invalid_request", "\"key\" is required");
        assertError(http.postJson("/api/v1/put", "{\"key\": 7, \"value\": \"x\"}"), 400, "invalid_request", "key must be a non-empty string, got a number");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"\", \"value\": \"x\"}"), 400, "invalid_request", "key must not be empty");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\"}"), 400, "invalid_request", "\"value\" is required");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", \"value\": 42}"), 400, "invalid_request", "value must be a string, a list or an object, got a number");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", \"value\": true}"), 400, "invalid_request", "got a boolean");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", \"value\": null}"), 400, "invalid_request", "got null");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", \"value\": \"x\", \"contxt\": \"c:1\"}"), 400, "invalid_request", "unknown field \"contxt\"");
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", \"value\": \"x\", \"context\": 5}"), 400, "invalid_request", "context must be a string");
        assertError(http.postJson("/api/v1/delete", "{\"key\": \"a\", \"value\": \"x\"}"), 400, "invalid_request", "unknown field \"value\"");
        assertError(http.method("PUT", "/api/v1/kv/a", "{oops".getBytes(), "Content-Type", "application/json"), 400, "invalid_json", "");
        assertError(http.method("PUT", "/api/v1/kv/a", "12".getBytes(), "Content-Type", "application/json"), 400, "invalid_request", "got a number");
        assertThat(raw("GET /api/v1/kv/a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("malformed percent-escape");
        assertError(http.get("/api/v1/get"), 400, "invalid_parameter", "\"key\" is required");
        assertThat(service.calls).hasValue(0);
        assertNothingStored();
    }

    @Test
    void an_unreadable_context_is_400_and_stores_nothing() {
        assertError(http.postJson("/api/v1/put", "{\"key\": \"a\", \"value\": \"x\", \"context\": \"garbage\"}"),
                400, "invalid_request", "unreadable context");
        assertError(http.method("DELETE", "/api/v1/kv/a", null, "X-Ringkv-Context", "garbage"), 400, "invalid_request", "unreadable context");
        assertNothingStored();
    }

    @Test
    void keys_and_values_over_the_limits_are_413_and_store_nothing() {
        String longKey = "k".repeat(1025);
        assertError(http.postJson("/api/v1/put", TestHttp.json("key", longKey, "value", "x")), 413, "key_too_large", "1025 bytes; the limit is 1024");
        assertError(http.get("/api/v1/get?key=" + longKey), 413, "key_too_large", "1025");
        assertError(http.method("PUT", "/api/v1/kv/" + longKey, new byte[1]), 413, "key_too_large", "1025");
        // a 4-byte key in UTF-8 counts its bytes, not its characters
        assertError(http.postJson("/api/v1/put", TestHttp.json("key", "é".repeat(513), "value", "x")), 413, "key_too_large", "1026");

        // key "k" + JSON string "\"...\"": 1 + (n + 2) bytes; exactly 10240 is accepted
        String atLimit = "v".repeat(10240 - 1 - 2);
        assertError(http.postJson("/api/v1/put", TestHttp.json("key", "k", "value", atLimit + "v")), 413, "value_too_large", "10241 bytes; the limit is 10240");
        assertError(http.method("PUT", "/api/v1/kv/k", new byte[10240]), 413, "value_too_large", "10241");
        assertNothingStored();
        assertThat(http.postJson("/api/v1/put", TestHttp.json("key", "k", "value", atLimit)).status()).isEqualTo(200);
        assertThat(http.method("PUT", "/api/v1/kv/k2", new byte[10238]).status()).isEqualTo(200);
    }

    @Test
    void bodies_over_the_hard_cap_are_413_without_being_read() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // only the headers are sent: the answer must come without the server waiting for 10 MB
            out.write(("POST /api/v1/put HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readAll(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413").contains("\"error\":\"body_too_large\"").contains("32768 byte limit");
        }
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PUT /api/v1/kv/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            try {
                for (int i = 0; i < 8; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException closedByServer) {
                // fine: the server may close before we finish writing
            }
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 413").contains("body_too_large");
        }
        assertNothingStored();
    }

    @Test
    void malformed_http_and_oversized_lines_or_headers_get_json_errors() {
        assertThat(raw("GET /api/v1/get?key=" + "k".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 414").contains("\"error\":\"uri_too_long\"");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431").contains("\"error\":\"headers_too_large\"");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("\"error\":\"malformed_http\"");
        assertThat(service.calls).hasValue(0);
    }

    @Test
    void r_and_w_are_validated_on_every_endpoint() {
        for (String q : new String[] {"r=0", "r=2", "w=2", "r=abc", "w=-1", "w=1.5"}) {
            assertError(http.get("/api/v1/get?key=a&" + q), 400, "invalid_parameter", q.substring(0, 1) + " must be");
            assertError(http.postJson("/api/v1/put?" + q, TestHttp.json("key", "a", "value", "x")), 400, "invalid_parameter", "from 1 to 1");
            assertError(http.postJson("/api/v1/delete?" + q, TestHttp.json("key", "a")), 400, "invalid_parameter", "from 1 to 1");
            assertError(http.get("/api/v1/kv/a?" + q), 400, "invalid_parameter", "from 1 to 1");
            assertError(http.method("PUT", "/api/v1/kv/a?" + q, new byte[1]), 400, "invalid_parameter", "from 1 to 1");
            assertError(http.method("DELETE", "/api/v1/kv/a?" + q, null), 400, "invalid_parameter", "from 1 to 1");
        }
        assertError(http.get("/api/v1/get?key=a&r=1&r=1"), 400, "invalid_parameter", "given 2 times");
        assertError(http.get("/api/v1/get?key=a&consistency=all"), 400, "invalid_parameter",
                "consistency must be count, local_quorum or each_quorum, got \"all\"");
        assertError(http.get("/api/v1/get?key=a&quorum=2"), 400, "invalid_parameter", "unknown query parameter \"quorum\"");
        assertThat(service.calls).hasValue(0);

        assertThat(http.postJson("/api/v1/put?w=1&r=1", TestHttp.json("key", "a", "value", "x")).status()).isEqualTo(200);
        assertThat(service.lastOptions.writeQuorum()).isEqualTo(1);
        assertThat(service.lastOptions.readQuorum()).isEqualTo(1);
        assertThat(http.get("/api/v1/get?key=a").status()).isEqualTo(200);
        assertThat(service.lastOptions.readQuorum()).isZero();
    }

    @Test
    void consistency_names_a_quorum_per_data_center_on_every_endpoint_and_does_not_mix_with_r_or_w() {
        assertThat(http.get("/api/v1/get?key=a&consistency=LOCAL_QUORUM").status()).as("accepted").isNotEqualTo(400);
        assertThat(service.lastOptions.consistency()).isEqualTo(Consistency.LOCAL_QUORUM);
        assertThat(http.postJson("/api/v1/put?consistency=each_quorum", TestHttp.json("key", "a", "value", "x")).status())
                .isEqualTo(200);
        assertThat(service.lastOptions.consistency()).isEqualTo(Consistency.EACH_QUORUM);
        assertThat(http.method("DELETE", "/api/v1/kv/a?consistency=count&w=1", null).status()).as("accepted").isNotEqualTo(400);
        assertThat(service.lastOptions.consistency()).isEqualTo(Consistency.COUNT);
        assertThat(service.lastOptions.writeQuorum()).isEqualTo(1);
        int calls = service.calls.get();
        assertError(http.postJson("/api/v1/put?consistency=local_quorum&w=1", TestHttp.json("key", "a", "value", "x")), 400,
                "invalid_parameter", "consistency=local_quorum counts a majority of replicas per data center and replaces w");
        assertError(http.get("/api/v1/get?key=a&r=1&consistency=each_quorum"), 400, "invalid_parameter", "replaces r");
        assertThat(service.calls).hasValue(calls);
    }

    @Test
    void a_quorum_missed_in_a_data_center_names_it() {
        service.failWith = new QuorumNotMetException("put", 2, 0, "dc2");
        TestHttp.Response r = http.postJson("/api/v1/put", TestHttp.json("key", "a", "value", "x"));
        assertError(r, 503, "quorum_not_met", "0 of 2 required replicas in data center dc2");
        assertThat(r.json().path("dataCenter").asText()).isEqualTo("dc2");
    }

    @Test
    void store_errors_are_mapped_by_the_table() {
        service.failWith = new QuorumNotMetException("write", 2, 1);
        TestHttp.Response r = http.postJson("/api/v1/put", TestHttp.json("key", "a", "value", "x"));
        assertError(r, 503, "quorum_not_met", "1 of 2");
        assertThat(r.json().path("required").asInt()).isEqualTo(2);
        assertThat(r.json().path("acknowledged").asInt()).isEqualTo(1);

        service.failWith = new StoreFailureException("disk on fire", new IOException("EIO"));
        assertError(http.get("/api/v1/kv/a"), 500, "store_failure", "disk on fire");
        service.failWith = null;
    }

    @Test
    void unanswered_store_calls_hold_no_event_loop_and_the_in_flight_limit_answers_503() throws Exception {
        assertThat(http.get("/api/v1/get?key=a").status()).isEqualTo(404);

        CountDownLatch release = new CountDownLatch(1);
        service.blockUntil = release;
        var first = CompletableFuture.supplyAsync(() -> http.get("/api/v1/get?key=a"));
        var second = CompletableFuture.supplyAsync(() -> http.get("/api/v1/get?key=b"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (service.calls.get() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(service.calls).hasValue(3);
        assertError(http.postJson("/api/v1/put", TestHttp.json("key", "c", "value", "x")), 503, "overloaded", "too many requests");
        assertThat(http.get("/health").status()).as("health is answered on the event loop").isEqualTo(200);
        release.countDown();
        service.blockUntil = null;
        assertThat(first.get().status()).isEqualTo(404);
        assertThat(second.get().status()).isEqualTo(404);
        assertThat(http.postJson("/api/v1/put", TestHttp.json("key", "c", "value", "x")).status()).isEqualTo(200);
    }

    @Test
    void pipelined_requests_are_answered_in_order() throws IOException {
        http.postJson("/api/v1/put", TestHttp.json("key", "one", "value", "1"));
        http.postJson("/api/v1/put", TestHttp.json("key", "two", "value", "2"));
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            String requests = "GET /api/v1/kv/one HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/v1/kv/two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            String all = readAll(socket.getInputStream());
            int one = all.indexOf("\"1\"");
            int missing = all.indexOf("no_route");
            int two = all.indexOf("\"2\"");
            assertThat(one).isPositive();
            assertThat(missing).isGreaterThan(one);
            assertThat(two).isGreaterThan(missing);
        }
    }

    @Test
    void health_and_metrics() {
        TestHttp.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("serving");
        assertThat(health.json().path("node").asText()).isEqualTo("test-node");

        http.get("/api/v1/get?key=nope");
        http.get("/api/v1/get?key=nope");
        TestHttp.Response metrics = http.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("content-type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.text()).contains("ringkv_http_requests_seconds_count{endpoint=\"get\",method=\"GET\",status=\"404\"} 2");
        assertThat(metrics.text()).contains("ringkv_http_requests_seconds_bucket{endpoint=\"get\"");
    }

    private String raw(String request) {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return readAll(socket.getInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the server closed the connection after answering
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
