package io.ringkv.it;

import io.ringkv.core.version.ContextCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a local test cluster is started with. Gossip and timeouts are much shorter than the
 * production defaults so that failures are detected within a couple of seconds and a whole
 * suite stays fast; quorums are Dynamo's usual N=3, R=W=2 unless a test says otherwise.
 *
 * @param nodeCount            number of node processes
 * @param n                    replicas per key
 * @param r                    default read quorum
 * @param w                    default write quorum
 * @param gossipIntervalMillis gossip round interval
 * @param suspectAfterMillis   heartbeat silence after which a peer is suspected
 * @param requestTimeoutMillis coordinator deadline per client request
 * @param clusterName          unique per start, so two builds running at once can never join
 *                             each other's nodes even if a port is reused
 * @param dataCenters          node K is in {@code dc((K-1) mod dataCenters + 1)}, as {@code cluster start
 *                             --data-centers} places it; 1: every node in dc1
 * @param perDataCenter        replicas per data center ({@code replication.perDataCenter}); empty: N anywhere.
 *                             When set, N is its sum and the nodes' default consistency a local quorum
 * @param extraYaml            more lines for sections of every node's YAML, by section name (e.g.
 *                             {@code replication}, {@code antiEntropy}): added to the harness's own
 *                             section of that name, or as a new section; empty by default
 */
public record ClusterSettings(int nodeCount, int n, int r, int w, long gossipIntervalMillis, long suspectAfterMillis,
                              long requestTimeoutMillis, String clusterName, int dataCenters,
                              Map<String, Integer> perDataCenter, Map<String, List<String>> extraYaml) {

    public ClusterSettings {
        extraYaml = Map.copyOf(extraYaml);
        if (nodeCount < 1 || n < 1 || n > nodeCount || r < 1 || r > n || w < 1 || w > n) {
            throw new IllegalArgumentException("need 1 <= r,w <= n <= nodeCount, got nodes=" + nodeCount
                    + " n=" + n + " r=" + r + " w=" + w);
        }
        perDataCenter = Map.copyOf(new TreeMap<>(perDataCenter));
        if (dataCenters < 1 || dataCenters > nodeCount
                || !perDataCenter.isEmpty() && perDataCenter.values().stream().mapToInt(Integer::intValue).sum() != n) {
            throw new IllegalArgumentException("need 1 <= dataCenters <= nodeCount and n the sum of perDataCenter, got "
                    + dataCenters + " data centers, n=" + n + ", " + perDataCenter);
        }
    }

    /**
     * {@code nodes} nodes alternating over {@code dataCenters} data centers with
     * {@code replicasPerDataCenter} replicas in each, the nodes' default consistency (a local
     * quorum), and otherwise {@link #of}'s settings.
     */
    public static ClusterSettings inDataCenters(int nodes, int dataCenters, int replicasPerDataCenter) {
        ClusterSettings base = of(nodes);
        Map<String, Integer> perDataCenter = new TreeMap<>();
        for (int d = 1; d <= dataCenters; d++) {
            perDataCenter.put("dc" + d, replicasPerDataCenter);
        }
        int n = dataCenters * replicasPerDataCenter;
        return new ClusterSettings(nodes, n, base.r(), base.w(), base.gossipIntervalMillis(), base.suspectAfterMillis(),
                base.requestTimeoutMillis(), base.clusterName(), dataCenters, perDataCenter, Map.of());
    }

    /** Node K's data center. */
    public String dataCenterOf(int k) {
        return "dc" + ((k - 1) % dataCenters + 1);
    }

    /** {@code nodes} nodes, N = min(3, nodes), R = W = min(2, N), fast gossip (200 ms rounds, suspect after 2 s), 2 s request timeout. */
    public static ClusterSettings of(int nodes) {
        int n = Math.min(3, nodes);
        int quorum = Math.min(2, n);
        return new ClusterSettings(nodes, n, quorum, quorum, 200, 2_000, 2_000,
                "it-" + UUID.randomUUID().toString().substring(0, 8), 1, Map.of(), Map.of());
    }

    /**
     * These settings plus {@code lines} in the YAML section {@code section} of every node, e.g.
     * {@code withYaml("antiEntropy", "interval: 1s")} (keys of docs/configuration.md; nested keys
     * as YAML flow maps, {@code "hints: {maxSize: 0}"}).
     */
    public ClusterSettings withYaml(String section, String... lines) {
        Map<String, List<String>> extra = new LinkedHashMap<>(extraYaml);
        extra.merge(section, List.of(lines), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        return new ClusterSettings(nodeCount, n, r, w, gossipIntervalMillis, suspectAfterMillis, requestTimeoutMillis,
                clusterName, dataCenters, perDataCenter, extra);
    }

    /** The cluster's {@code cluster.secret}: contexts are authenticated under it. */
    public String contextSecret() {
        return "it-secret-" + clusterName;
    }

    /** Decodes and encodes contexts as the nodes of this cluster do. */
    public ContextCodec contexts() {
        return ContextCodec.forSecret(contextSecret());
    }
}
