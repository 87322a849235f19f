package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client API of one node over java.net.http: get, put and delete of the JSON API with
 * optional {@code r}, {@code w} and context, plus plain requests for everything else. Methods
 * without a quorum argument send none (the node's default applies); those with one always send
 * it, whatever its value, so tests can send invalid ones. Connection failures and timeouts surface as
 * {@link UncheckedIOException}; every HTTP status, error or not, is returned as a {@link Reply}.
 *
 * <p>One instance per node incarnation: its connection pool belongs to that process, so a
 * restarted node gets a fresh client rather than inheriting connections the kill broke.
 */
public final class KvClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    KvClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Reply get(String key) {
        return send("GET", "/api/v1/get?key=" + encode(key), null);
    }

    public Reply get(String key, int r) {
        return send("GET", "/api/v1/get?key=" + encode(key) + "&r=" + r, null);
    }

    public Reply put(String key, String value) {
        return put(key, value, null);
    }

    /** Puts a JSON string value; {@code context} null for none. */
    public Reply put(String key, String value, String context) {
        return send("POST", "/api/v1/put", writeBody(key, value, context));
    }

    public Reply put(String key, String value, String context, int w) {
        return send("POST", "/api/v1/put?w=" + w, writeBody(key, value, context));
    }

    public Reply delete(String key, String context, int w) {
        return send("POST", "/api/v1/delete?w=" + w, writeBody(key, null, context));
    }

    private static String writeBody(String key, String value, String context) {
        ObjectNode body = JSON.createObjectNode().put("key", key);
        if (value != null) {
            body.put("value", value);
        }
        if (context != null) {
            body.put("context", context);
        }
        return body.toString();
    }

    /** GET /api/v1/cluster, parsed. */
    public ClusterStatus cluster() {
        Reply reply = send("GET", "/api/v1/cluster", null);
        if (reply.status() != 200) {
            throw new IllegalStateException(baseUrl + "/api/v1/cluster answered " + reply);
        }
        return ClusterStatus.parse(reply.json());
    }

    /** The Prometheus text of /metrics. */
    public String metrics() {
        Reply reply = send("GET", "/metrics", null);
        if (reply.status() != 200) {
            throw new IllegalStateException(baseUrl + "/metrics answered " + reply);
        }
        return reply.body();
    }

    /** Any request; {@code jsonBody} null for none. */
    public Reply send(String method, String pathAndQuery, String jsonBody) {
        return send(method, pathAndQuery, jsonBody, timeout);
    }

    public Reply send(String method, String pathAndQuery, String jsonBody, Duration requestTimeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(requestTimeout);
        request = jsonBody == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + pathAndQuery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method + " " + pathAndQuery, e);
        }
        return new Reply(response.statusCode(), response.body(), parseJson(response),
                response.headers().firstValue("X-Ringkv-Context"));
    }

    private static JsonNode parseJson(HttpResponse<String> response) {
        boolean json = response.headers().firstValue("Content-Type").map(t -> t.startsWith("application/json")).orElse(false);
        if (!json || response.body().isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("a node sent invalid JSON (" + e.getMessage() + "): " + response.body(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // Not close(): that waits for requests still hanging on a paused node.
        http.shutdownNow();
    }
}
