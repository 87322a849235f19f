package io.ringkv.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Asks a node's {@code GET /api/v1/cluster} or its streaming progress (docs/http-api.md); one short-timeout request per call. */
public final class ClusterViewProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final Duration timeout;

    public ClusterViewProbe(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The node's view, or empty if it does not answer 200 with JSON in time. */
    public Optional<JsonNode> view(String baseUrl) {
        return get(baseUrl + "/api/v1/cluster").filter(body -> body.path("members").isArray());
    }

    /**
     * True if a node among {@code otherUrls} answers and sees {@code nodeId} LEFT (or has forgotten
     * it): how a watcher tells a node that finished its decommission and stopped from one that died.
     */
    public boolean seenLeft(String nodeId, List<String> otherUrls) {
        for (String url : otherUrls) {
            Optional<JsonNode> view = view(url);
            if (view.isPresent()) {
                for (JsonNode member : view.get().path("members")) {
                    if (member.path("id").asText().equals(nodeId)) {
                        return member.path("status").asText().equals("LEFT");
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** The node's join or decommission streaming ({@code GET /api/v1/admin/streaming}), or empty if it has none. */
    public Optional<JsonNode> streaming(String baseUrl) {
        return get(baseUrl + "/api/v1/admin/streaming").filter(body -> body.has("state"));
    }

    private Optional<JsonNode> get(String url) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.ofNullable(JSON.readTree(r.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
