package io.ringkv.transport;

import io.ringkv.cluster.transport.PeerAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The HELLO payload: the dialer's listen address (docs/design/wire-protocol.md, "HELLO payload").
 * The acceptor needs it because the dialer's source port is ephemeral.
 */
final class Hello {
    static final int MAX_HOST_BYTES = 255;

    private Hello() {}

    static byte[] encode(PeerAddress listenAddress) {
        byte[] host = listenAddress.host().getBytes(StandardCharsets.UTF_8);
        if (host.length == 0 || host.length > MAX_HOST_BYTES) {
            throw new IllegalArgumentException("listen host must be 1.." + MAX_HOST_BYTES + " UTF-8 bytes, was " + host.length);
        }
        return ByteBuffer.allocate(host.length + 4)
                .putShort((short) host.length).put(host).putShort((short) listenAddress.port()).array();
    }

    /** Decodes a HELLO payload; throws {@link IllegalArgumentException} saying what is wrong. */
    static PeerAddress decode(byte[] payload) {
        if (payload.length < 5) {
            throw new IllegalArgumentException("HELLO payload of " + payload.length + " bytes is shorter than 5");
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        int hostBytes = buffer.getShort() & 0xFFFF;
        if (hostBytes < 1 || hostBytes > MAX_HOST_BYTES || payload.length != hostBytes + 4) {
            throw new IllegalArgumentException("HELLO host length " + hostBytes + " does not fit a payload of "
                    + payload.length + " bytes");
        }
        String host;
        try {
            host = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(buffer.slice(2, hostBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("HELLO host is not valid UTF-8", e);
        }
        buffer.position(2 + hostBytes);
        int port = buffer.getShort() & 0xFFFF;
        return new PeerAddress(host, port); // rejects port 0 with a specific message
    }
}
