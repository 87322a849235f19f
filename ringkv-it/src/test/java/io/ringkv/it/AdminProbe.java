package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the admin endpoints (docs/http-api.md, "Admin") say, for convergence checks that read no key through the store's API. */
final class AdminProbe {
    private AdminProbe() {
    }

    /** The key's preference list, as node ids, in the view of the node {@code client} talks to. */
    static List<String> replicas(KvClient client, String key) {
        Reply reply = client.send("GET", "/api/v1/admin/replicas?key=" + encode(key), null);
        if (reply.status() != 200) {
            throw new AssertionError("admin/replicas of " + key + ": " + reply);
        }
        List<String> ids = new ArrayList<>();
        reply.json().get("replicas").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** The live values a node itself stores for {@code key} (no coordination, no repair), empty when it stores none. */
    static Optional<List<String>> local(KvClient client, String key) {
        Reply reply = client.send("GET", "/api/v1/admin/local?key=" + encode(key), null);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (reply.status() != 200) {
            throw new AssertionError("admin/local of " + key + ": " + reply);
        }
        return Optional.of(reply.stringValues());
    }

    /** Hints the node holds for all other nodes together. */
    static long pendingHints(KvClient client) {
        return hints(client).get("pending").asLong();
    }

    /** The node's hint queues as admin/hints reports them. */
    static JsonNode hints(KvClient client) {
        Reply reply = client.send("GET", "/api/v1/admin/hints", null);
        if (reply.status() != 200) {
            throw new AssertionError("admin/hints: " + reply);
        }
        return reply.json();
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }
}
