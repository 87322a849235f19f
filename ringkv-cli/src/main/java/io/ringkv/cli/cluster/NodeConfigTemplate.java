package io.ringkv.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ringkv.yaml that {@code cluster start} writes for a new local node. An existing file is
 * never overwritten, so edits survive restarts; anything not written here takes its default
 * (docs/configuration.md).
 *
 * <p>Layout of a local cluster of K nodes with base port BASE: node k serves HTTP on
 * 127.0.0.1:BASE+k and talks to its peers on its own loopback address 127.0.0.k, port
 * BASE+1000+k (so that tests can cut the traffic between chosen pairs with firewall rules);
 * every node lists node1 and node2 as seeds (node1 alone in a one-node cluster); N = min(3, K),
 * R = W = min(2, N). The K nodes share this machine's cores, so each one's event loops (HTTP and
 * inter-node) are sized for its share, {@link #coresPerNode}: on 2 cores, three nodes with the
 * single-machine defaults ran 6 loops and 2 carrier threads each, and YCSB workload A was 25%
 * slower than with one of each (docs/benchmarks.md).
 */
public final class NodeConfigTemplate {
    public static final String HOST = "127.0.0.1";
    /** Peer ports sit this far above the HTTP ports. */
    public static final int PEER_PORT_OFFSET = 1000;

    private NodeConfigTemplate() {
    }

    /** Writes {@code node.config()} unless it exists; returns true if it wrote it. */
    public static boolean writeIfAbsent(NodeLayout node, int nodeCount, int basePort, String secret) {
        if (Files.exists(node.config())) {
            return false;
        }
        try {
            Files.createDirectories(node.dir());
            Path tmp = node.dir().resolve("ringkv.yaml.tmp");
            Files.writeString(tmp, render(node, nodeCount, basePort, secret));
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

    static String render(NodeLayout node, int nodeCount, int basePort, String secret) {
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
                basePort + node.index(), clusterSection(node, nodeCount, basePort, secret));
    }

    /** Inter-node and replication settings of node {@code node} in a local cluster of {@code nodeCount}. */
    static String clusterSection(NodeLayout node, int nodeCount, int basePort, String secret) {
        StringBuilder seeds = new StringBuilder();
        for (int k = 1; k <= Math.min(2, nodeCount); k++) {
            seeds.append(k > 1 ? ", " : "").append('"').append(peerHost(k)).append(':').append(peerPort(basePort, k)).append('"');
        }
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
