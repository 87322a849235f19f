package io.ringkv.server;

import io.ringkv.cluster.testing.TestPorts;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.HttpConfig;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.ReplicationConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Node configurations for in-JVM tests: free ports on 127.0.0.K, fast gossip. */
public final class TestNodes {
    /** Fast enough that a 3-node cluster forms in a few seconds, slow enough for a busy 2-core machine. */
    public static final long GOSSIP_INTERVAL_MILLIS = 100;
    public static final long SUSPECT_AFTER_MILLIS = 2_000;

    private TestNodes() {
    }

    /** Node {@code k} (HTTP and peer listener on 127.0.0.k), data in {@code dataDir}. */
    public static NodeConfig member(int k, Path dataDir, List<PeerAddress> seeds, int n, int r, int w) {
        String host = "127.0.0." + k;
        NodeConfig defaults = NodeConfig.defaults(dataDir);
        return defaults.withNodeId("node" + k)
                .withHttp(new HttpConfig(host, TestPorts.freePort(host), 64, 64 << 10, 1))
                .withCluster(new ClusterConfig("test", host, TestPorts.freePort(host), seeds, "dc1", "rack1", 1,
                        GOSSIP_INTERVAL_MILLIS, 3, SUSPECT_AFTER_MILLIS, 1, "test-cluster-secret-0001"))
                .withReplication(new ReplicationConfig(n, r, w, Map.of(), 2_000, true, false, 20));
    }

    /** {@code config} with {@code seeds} instead of its own. */
    public static NodeConfig withSeeds(NodeConfig config, List<PeerAddress> seeds) {
        ClusterConfig c = config.cluster();
        return config.withCluster(new ClusterConfig(c.name(), c.peerHost(), c.peerPort(), seeds, c.dataCenter(), c.rack(),
                c.weight(), c.gossipIntervalMillis(), c.gossipFanout(), c.suspectAfterMillis(), c.ioThreads(),
                c.secret()));
    }

    /** A one-node cluster: no seeds, N = R = W = 1. */
    public static NodeConfig single(Path dataDir) {
        return member(1, dataDir, List.of(), 1, 1, 1);
    }
}
