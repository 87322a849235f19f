package io.ringkv.client;

import io.ringkv.server.RingkvNode;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;

/**
 * A real single node (HTTP API, cluster stack, LSM engine) in this JVM, on an ephemeral HTTP
 * port and a free inter-node port, over a test's temporary directory. Shared with the tests
 * of ringkv-bench and ringkv-ycsb through this module's test-jar.
 */
public final class InProcessNode implements AutoCloseable {
    private final RingkvNode node;

    private InProcessNode(RingkvNode node) {
        this.node = node;
    }

    public static InProcessNode start(Path dir) {
        String yaml = """
                node: {id: node1}
                http: {host: 127.0.0.1, port: 0}
                cluster: {peerHost: 127.0.0.1, peerPort: %d}
                """.formatted(freePort());
        Path data = dir.resolve("data").toAbsolutePath();
        return new InProcessNode(RingkvNode.start(NodeConfigLoader.parse(yaml, data).withDataDirectory(data)));
    }

    public URI uri() {
        return URI.create(node.baseUrl());
    }

    /** A loopback port nothing listens on (bound, then released). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
