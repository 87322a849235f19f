package io.ringkv.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The ringkv.yaml that {@code cluster start} writes for a new local node. An existing file is
 * never overwritten, so edits survive restarts; anything not written here takes its default
 * (docs/configuration.md).
 *
 * <p>Layout of a local cluster of K nodes with base port BASE: node k serves HTTP on
 * 127.0.0.1:BASE+k and talks to its peers on its own loopback address 127.0.0.k, port
 * BASE+1000+k (so that tests can cut the traffic between chosen pairs with firewall rules);
 * every node lists node1 and node2 as seeds (node1 alone in a one-node cluster); N = min(3, K),
 * R = W = min(2, N). Over D data centers ({@code --data-centers}), node k is in {@code dc((k-1) mod D + 1)},
 * on racks rack1..rack3 in turn within its data center (so node1 and node2, the seeds, are in dc1
 * and dc2, and a node's place never depends on K), and each key gets min(2, nodes there)
 * replicas in every data center, counted by a local quorum (docs/design/coordinator.md, "Data
 * centers"). The K nodes share this machine's cores, so each one's event loops (HTTP and
 * inter-node) are sized for its share, {@link #coresPerNode}: on 2 cores, three nodes with the
 * single-machine defaults ran 6 loops and 2 carrier threads each, and YCSB workload A was 25%
 * slower than with one of each (docs/performance-notes.md).
 */
public final class NodeConfigTemplate {
    public static final String HOST = "127.0.0.1";
    /** Peer ports sit this far above the HTTP ports. */
    public static final int PEER_PORT_OFFSET = 1000;

    private NodeConfigTemplate() {
    }

    /** Racks a data center's nodes are spread over, in turn. */
    static final int RACKS_PER_DATA_CENTER = 3;
    /** Replicas per data center when it has enough nodes. */
    static final int REPLICAS_PER_DATA_CENTER = 2;

    /** Writes {@code node.config()} of a single data center unless it exists; returns true if it wrote it. */
    public static boolean writeIfAbsent(NodeLayout node, int nodeCount, int basePort, String secret) {
        return writeIfAbsent(node, nodeCount, 1, basePort, secret);
    }

    /**
     * Writes {@code node.config()} for a cluster of {@code nodeCount} nodes over {@code dataCenters}
     * data centers unless it exists; returns true if it wrote it.
     */
    public static boolean writeIfAbsent(NodeLayout node, int nodeCount, int dataCenters, int basePort, String secret) {
        if (dataCenters < 1 || dataCenters > nodeCount) {
            throw new IllegalArgumentException("data centers must be between 1 and the node count " + nodeCount + ", got "
                    + dataCenters);
        }
        if (Files.exists(node.config())) {
            return false;
        }
        try {
            Files.createDirectories(node.dir());
            Path tmp = node.dir().resolve("ringkv.yaml.tmp");
            Files.writeString(tmp, render(node, nodeCount, dataCenters, basePort, secret));
            Files.move(tmp, node.config(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + node.config(), e);
        }
    }

    /** The loopback address node {@code index} uses for inter-node traffic. */
    public static String peerHost(int index) {
        return "127.0.0." + index;
    }

    public static int peerPort(int basePort, int index) {
        return basePort + PEER_PORT_OFFSET + index;
    }

    /** This machine's cores divided among {@code nodeCount} nodes, at least 1. */
    public static int coresPerNode(int nodeCount) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / nodeCount);
    }

    /** The data center of node {@code index} among {@code dataCenters}: dc1, dc2, ... in turn. */
    public static String dataCenterOf(int index, int dataCenters) {
        return "dc" + ((index - 1) % dataCenters + 1);
    }

    /** The rack of node {@code index} within its data center: rack1..rack3 in turn. */
    static String rackOf(int index, int dataCenters) {
        return "rack" + ((index - 1) / dataCenters % RACKS_PER_DATA_CENTER + 1);
    }

    /** Replicas per data center in a cluster of {@code nodeCount} over {@code dataCenters}: min(2, its nodes) each. */
    static Map<String, Integer> replicasPerDataCenter(int nodeCount, int dataCenters) {
        Map<String, Integer> replicas = new TreeMap<>();
        for (int k = 1; k <= nodeCount; k++) {
            replicas.merge(dataCenterOf(k, dataCenters), 1, Integer::sum);
        }
        replicas.replaceAll((dc, nodes) -> Math.min(REPLICAS_PER_DATA_CENTER, nodes));
        return replicas;
    }

    static String render(NodeLayout node, int nodeCount, int dataCenters, int basePort, String secret) {
        return """
                # Written by `ringkv cluster start` for %s (of %d). Kept on later starts: edit freely.
                # Every key and its default: docs/configuration.md
                node:
                  id: %s
                  dataDir: "%s"
                http:
                  host: %s
                  port: %d
                %s""".formatted(node.id(), nodeCount, node.id(), yamlEscape(node.dataDir().toString()), HOST,
                basePort + node.index(), dataCenters == 1 ? clusterSection(node, nodeCount, basePort, secret)
                        : multiDataCenterSection(node, nodeCount, dataCenters, basePort, secret));
    }

    /** As {@link #clusterSection}, with the node's data center and rack and replicas per data center. */
    static String multiDataCenterSection(NodeLayout node, int nodeCount, int dataCenters, int basePort, String secret) {
        Map<String, Integer> perDataCenter = replicasPerDataCenter(nodeCount, dataCenters);
        int n = perDataCenter.values().stream().mapToInt(Integer::intValue).sum();
        int majority = n / 2 + 1;
        String replicas = perDataCenter.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        return """
                cluster:
                  name: ringkv-local
                  peerHost: %s
                  peerPort: %d
                  seeds: [%s]
                  dataCenter: %s               # node k is in dc((k-1) mod %d + 1)
                  rack: %s
                  ioThreads: %d                # this node's share of the machine's cores (HTTP shares them)
                  secret: %s   # authenticates clients' contexts; the same on every node (cluster.secret beside nodeK/)
                replication:
                  perDataCenter: %s   # replicas of each key in each data center; N is their sum
                  consistency: local_quorum    # a request naming no quorum counts a majority of this data center's replicas
                  r: %d                         # used by requests that ask for consistency=count
                  w: %d
                """.formatted(peerHost(node.index()), peerPort(basePort, node.index()), seeds(nodeCount, basePort),
                dataCenterOf(node.index(), dataCenters), dataCenters, rackOf(node.index(), dataCenters),
                coresPerNode(nodeCount), secret, replicas, majority, majority);
    }

    private static String seeds(int nodeCount, int basePort) {
        StringBuilder seeds = new StringBuilder();
        for (int k = 1; k <= Math.min(2, nodeCount); k++) {
            seeds.append(k > 1 ? ", " : "").append('"').append(peerHost(k)).append(':').append(peerPort(basePort, k)).append('"');
        }
        return seeds.toString();
    }

    /** Inter-node and replication settings of node {@code node} in a local cluster of {@code nodeCount}. */
    static String clusterSection(NodeLayout node, int nodeCount, int basePort, String secret) {
        String seeds = seeds(nodeCount, basePort);
        int n = Math.min(3, nodeCount);
        int quorum = Math.min(2, n);
        return """
                cluster:
                  name: ringkv-local
                  peerHost: %s
                  peerPort: %d
                  seeds: [%s]
                  ioThreads: %d                # this node's share of the machine's cores (HTTP shares them)
                  secret: %s   # authenticates clients' contexts; the same on every node (cluster.secret beside nodeK/)
                replication:
                  n: %d
                  r: %d
                  w: %d
                """.formatted(peerHost(node.index()), peerPort(basePort, node.index()), seeds, coresPerNode(nodeCount),
                secret, n, quorum, quorum);
    }

    private static String yamlEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
