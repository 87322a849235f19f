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
 * and {@code GET /api/v1/ring} (every owner's tokens, each range's replicas and the ring's version).
 */
final class ClusterAnswers {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterAnswers() {
    }

    /** The members as one node sees them. */
    record Members(Map<String, URI> uris, Map<String, Boolean> down, int replicas, String fingerprint) {
    }

    /**
     * The ring's tokens with their owners' ids, and its version. Empty when the node does not know
     * the ring yet.
     *
     * @param replicas for each token, its range's replicas as indexes into {@code nodeIds}, as the
     *                 node placed them; null from a node that does not say (older than the field)
     */
    record Ring(String version, List<KeyToken> tokens, List<Integer> owners, List<int[]> replicas, List<String> nodeIds) {
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
        boolean placed = nodes.size() > 0 && nodes.get(0).has("replicas");
        List<int[]> replicas = placed ? new ArrayList<>(root.path("tokens").asInt(0)) : null;
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
            if (placed) {
                JsonNode ranges = node.path("replicas");
                if (!ranges.isArray() || ranges.size() != node.path("tokens").size()) {
                    throw new IOException("ring answer: node " + ids.getLast() + " has " + node.path("tokens").size()
                            + " tokens but " + ranges.size() + " replica lists");
                }
                for (JsonNode range : ranges) {
                    replicas.add(indexes(range, nodes.size()));
                }
            }
        }
        return new Ring(version, tokens, owners, replicas, ids);
    }

    /** One range's replicas: a non-empty list of distinct indexes into the ring's nodes. */
    private static int[] indexes(JsonNode range, int nodeCount) throws IOException {
        if (!range.isArray() || range.isEmpty()) {
            throw new IOException("ring answer: a range's replicas must be a non-empty list, got " + range);
        }
        int[] out = new int[range.size()];
        boolean[] seen = new boolean[nodeCount];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = range.get(i);
            if (!n.isInt() || n.asInt() < 0 || n.asInt() >= nodeCount || seen[n.asInt()]) {
                throw new IOException("ring answer: replicas " + range + " are not distinct indexes of its " + nodeCount
                        + " nodes");
            }
            seen[n.asInt()] = true;
            out[i] = n.asInt();
        }
        return out;
    }
}
