package io.ringkv.it;

import java.nio.file.Path;

/**
 * Where one node of a local test cluster lives: node K is {@code nodeK} on loopback address
 * {@code 127.0.0.K} (HTTP and inter-node listener alike), with ports chosen free at start-up and
 * its own directory holding its config, its log and its data.
 *
 * @param index    K, from 1
 * @param host     127.0.0.K
 * @param httpPort client API port on {@code host}
 * @param peerPort inter-node port on {@code host}
 * @param dir      the node's directory (config, log, data)
 */
public record NodeSpec(int index, String host, int httpPort, int peerPort, Path dir) {

    public String id() {
        return "node" + index;
    }

    /** {@code http://127.0.0.K:port}. */
    public String httpBaseUrl() {
        return "http://" + host + ":" + httpPort;
    }

    /** {@code 127.0.0.K:peerPort}, as seeds and /api/v1/cluster write it. */
    public String peerAddress() {
        return host + ":" + peerPort;
    }

    public Path configFile() {
        return dir.resolve("ringkv.yaml");
    }

    public Path logFile() {
        return dir.resolve("node.log");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    static String loopbackHost(int index) {
        if (index < 1 || index > 254) {
            throw new IllegalArgumentException("node index must be 1..254, got " + index);
        }
        return "127.0.0." + index;
    }
}
