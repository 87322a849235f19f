package io.ringkv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the two answers a partition-aware client learns the cluster from (docs/http-api.md):
 * {@code GET /api/v1/cluster} (each member's HTTP address, liveness, status and token count; N)
 * and {@code GET /api/v1/ring} (every owner's tokens and the ring's version).
 */
final class ClusterAnswers {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterAnswers() {
    }

    /** The members as one node sees them. */
    record Members(Map<String, URI> uris, Map<String, Boolean> down, int replicas, String fingerprint) {
    }

    /** The ring's tokens with their owners' ids, and its version. Empty when the node does not know the ring yet. */
    record Ring(String version, List<KeyToken> tokens, List<Integer> owners, List<String> nodeIds) {
        boolean isEmpty() {
            return tokens.isEmpty();
        }
    }

    static Members members(byte[] body) throws IOException {
        JsonNode root = MAPPER.readTree(body);
        JsonNode members = root.path("members");
        if (!members.isArray()) {
            throw new IOException("cluster answer without members");
        }
        Map<String, URI> uris = new HashMap<>();
        Map<String, Boolean> down = new HashMap<>();
        TreeMap<String, String> fingerprint = new TreeMap<>();
        for (JsonNode m : members) {
            String id = m.path("id").asText("");
            if (id.isEmpty()) {
                continue;
            }
            String http = m.path("http").asText("");
            if (!http.isEmpty()) {
                uris.put(id, URI.create("http://" + http));
            }
            String status = m.path("status").asText("");
            // LEFT members no longer serve; DOWN ones are tried last (this node's view may be stale).
            down.put(id, "DOWN".equals(m.path("liveness").asText()) || "LEFT".equals(status));
            fingerprint.put(id, status + "/" + m.path("tokens").asInt());
        }
        JsonNode replication = root.path("replication");
        int replicas = replication.path("n").asInt(1);
        JsonNode perDc = replication.path("perDataCenter");
        if (perDc.isObject() && !perDc.isEmpty()) {
            int sum = 0;
            for (JsonNode n : perDc) {
                sum += n.asInt();
            }
            replicas = Math.max(1, sum);
        }
        return new Members(uris, down, Math.max(1, replicas), fingerprint.toString());
    }

    static Ring ring(byte[] body) throws IOException {
        JsonNode root = MAPPER.readTree(body);
        JsonNode nodes = root.path("nodes");
        String version = root.path("version").asText("");
        if (!nodes.isArray()) {
            throw new IOException("ring answer without nodes");
        }
        List<KeyToken> tokens = new ArrayList<>(root.path("tokens").asInt(0));
        List<Integer> owners = new ArrayList<>(root.path("tokens").asInt(0));
        List<String> ids = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            int owner = ids.size();
            ids.add(node.path("id").asText());
            for (JsonNode t : node.path("tokens")) {
                try {
                    tokens.add(KeyToken.parse(t.asText()));
                } catch (IllegalArgumentException e) {
                    throw new IOException("unreadable ring token: " + e.getMessage(), e);
                }
                owners.add(owner);
            }
        }
        return new Ring(version, tokens, owners, ids);
    }
}
