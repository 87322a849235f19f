package io.ringkv.client;

import io.ringkv.server.RingkvNode;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real one-node cluster (no seeds, n = r = w = 1: HTTP API, cluster stack, LSM engine) in this JVM, on an ephemeral HTTP
 * port and a free inter-node port, over a test's temporary directory. Shared with the tests
 * of ringkv-bench and ringkv-ycsb through this module's test-jar.
 */
public final class InProcessNode implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 30;
    private final RingkvNode node;

    private InProcessNode(RingkvNode node) {
        this.node = node;
    }

    public static InProcessNode start(Path dir) {
        return start(dir, "");
    }

    /** A node with {@code extraYaml} (whole top-level sections, e.g. "versioning: {conflictPolicy: lww}") added. */
    public static InProcessNode start(Path dir, String extraYaml) {
        String yaml = """
                node: {id: node1}
                http: {host: 127.0.0.1, port: 0}
                cluster: {peerHost: 127.0.0.1, peerPort: %d}
                replication: {n: 1, r: 1, w: 1}
                """.formatted(freePeerPort()) + extraYaml;
        Path data = dir.resolve("data").toAbsolutePath();
        InProcessNode node = new InProcessNode(RingkvNode.start(NodeConfigLoader.parse(yaml, data).withDataDirectory(data)));
        try {
            node.awaitServing();
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    /**
     * A one-node cluster owns its ring a few gossip rounds after it starts; until then requests
     * answer 503 quorum_not_met. Polls a read through the public API until it is answered.
     */
    private void awaitServing() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(uri())).build()) {
            while (true) {
                try {
                    client.get("in-process-node-ready");
                    return;
                } catch (QuorumNotMetException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("node not serving " + READY_TIMEOUT_SECONDS + " s after start", e);
                    }
                    sleepMillis(20); // real gossip rounds on a real clock
                }
            }
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public URI uri() {
        return URI.create(node.baseUrl());
    }

    /*
     * The peer listener's port comes from below the kernel's ephemeral range, as in ringkv-server's
     * TestNodes (which says why: a port bind(0) reports free may become some outgoing connection's
     * source port before the node binds it). Each is handed out once per JVM.
     */
    private static final int FIRST_PEER_PORT = 15_000;
    private static final int PEER_PORTS = 17_000;
    private static final AtomicInteger NEXT_PEER_PORT =
            new AtomicInteger((int) (ProcessHandle.current().pid() * 89 % PEER_PORTS));

    private static int freePeerPort() {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = FIRST_PEER_PORT + Math.floorMod(NEXT_PEER_PORT.getAndIncrement(), PEER_PORTS);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // someone else's: try the next
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port from " + FIRST_PEER_PORT));
    }

    /** A loopback port nothing listens on (bound, then released): for a node that is not there. */
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
