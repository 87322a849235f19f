package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inter-node port faces whatever connects to it (docs/design/wire-protocol.md, "Protocol
 * violations"): a malformed frame closes that one connection and nothing else. Each kind of
 * garbage goes to node 2's peer port over its own raw socket; afterwards node 2 still serves
 * HTTP and still takes part in quorum writes, both as coordinator and as replica.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class GarbageFrameTest {
    static final String VIOLATIONS_METRIC = "ringkv_transport_protocol_violations_total";
    private static final int MAGIC = 0x524B564E;
    private static final int HEADER_BYTES = 28;
    private static final int KIND_HELLO = 1;
    private static final int CLOSE_WAIT_MILLIS = 5_000;

    @Test
    void garbageOnTheInterNodePortClosesThatConnectionAndTheNodeKeepsServing(LocalClusterProcesses cluster) throws IOException {
        NodeSpec target = cluster.node(2);
        double violationsBefore = Metrics.sum(cluster.client(2).metrics(), VIOLATIONS_METRIC, "");

        byte[] wrongMagic = new byte[32];
        System.arraycopy("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), 0, wrongMagic, 0, 16);
        assertClosedAfterSending(target, "wrong magic", wrongMagic);
        assertClosedAfterSending(target, "a length far over maxFrameBytes", helloHeader(0x7FFF_FFF0));
        assertClosedAfterSending(target, "a checksum mismatch", helloWithBadChecksum());
        byte[] random = new byte[64 * 1024];
        new Random(42).nextBytes(random);
        random[0] = 0x00; // never the first magic byte, so the frame is garbage from its first 4 bytes
        assertClosedAfterSending(target, "64 KiB of random bytes", random);

        assertThat(cluster.client(2).send("GET", "/health", null).status()).isEqualTo(200);
        // node2 coordinates (its own dialer connections work) and every replica must acknowledge.
        Reply viaNode2 = cluster.client(2).put("after-garbage-2", "ok", null, 3);
        assertThat(viaNode2.status()).as("w=3 put through node2: %s", viaNode2).isEqualTo(200);
        // node1 coordinates and node2 must accept node1's connection and acknowledge.
        Reply viaNode1 = cluster.client(1).put("after-garbage-1", "ok", null, 3);
        assertThat(viaNode1.status()).as("w=3 put through node1: %s", viaNode1).isEqualTo(200);
        assertThat(cluster.client(3).get("after-garbage-1", 3).stringValues()).containsExactly("ok");
        double violationsAfter = Metrics.sum(cluster.client(2).metrics(), VIOLATIONS_METRIC, "");
        assertThat(violationsAfter - violationsBefore).as("connections node2 closed for protocol violations").isEqualTo(4);
    }

    /** Sends {@code bytes} and expects the node to close the connection (EOF or reset) within 5 s. */
    private static void assertClosedAfterSending(NodeSpec node, String what, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.host(), node.peerPort()), CLOSE_WAIT_MILLIS);
            socket.setSoTimeout(CLOSE_WAIT_MILLIS);
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                return; // the node closed (reset) the connection while we were still writing
            }
            InputStream in = socket.getInputStream();
            try {
                int read;
                byte[] buffer = new byte[4096];
                while ((read = in.read(buffer)) >= 0) {
                    if (read > 0) {
                        throw new AssertionError("after " + what + " the node answered " + read + " bytes instead of closing: "
                                + Arrays.toString(Arrays.copyOf(buffer, Math.min(read, 32))));
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("after " + what + " the connection to " + node.peerAddress() + " is still open "
                        + CLOSE_WAIT_MILLIS + " ms later");
            } catch (SocketException e) {
                // reset by the node: closed too
            }
        }
    }

    /** A HELLO header announcing {@code payloadLength} bytes, nothing after it. */
    private static byte[] helloHeader(int payloadLength) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).put((byte) 1).put((byte) KIND_HELLO).putShort((short) 0)
                .putLong(0).putInt(0).putInt(0).putInt(payloadLength);
        return header.array();
    }

    /** A well-formed HELLO (host 127.0.0.9, port 9) whose CRC32C trailer is off by one. */
    private static byte[] helloWithBadChecksum() {
        byte[] host = "127.0.0.9".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer payload = ByteBuffer.allocate(host.length + 4).putShort((short) host.length).put(host).putShort((short) 9);
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.capacity() + 4)
                .put(helloHeader(payload.capacity())).put(payload.array());
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), 0, frame.position());
        frame.putInt((int) crc.getValue() + 1);
        return frame.array();
    }
}
