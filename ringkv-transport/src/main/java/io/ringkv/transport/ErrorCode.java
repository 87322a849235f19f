package io.ringkv.transport;

import io.ringkv.cluster.transport.NotDeliveredException;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.RemoteHandlerException;
import io.ringkv.cluster.transport.TransportException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The error codes of an ERROR frame and the exception each becomes at the requester: the one
 * table docs/design/wire-protocol.md ("ERROR payload") describes.
 */
enum ErrorCode {
    HANDLER_FAILED(1),
    UNKNOWN_MESSAGE_TYPE(2),
    OVERLOADED(3),
    RESPONSE_TOO_LARGE(4);

    static final int MAX_MESSAGE_BYTES = 1024;

    final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The ERROR payload: u16 code, then the message as UTF-8 truncated to 1024 bytes. */
    byte[] encode(String message) {
        byte[] text = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_MESSAGE_BYTES);
        return ByteBuffer.allocate(2 + length).putShort((short) code).put(text, 0, length).array();
    }

    /**
     * The exception an ERROR payload means for the requester. The caller has checked the payload
     * is at least 2 bytes long.
     */
    static TransportException toException(byte[] payload, PeerAddress peer, int messageType) {
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        // Truncation may have split a UTF-8 sequence; the decoder replaces the broken tail.
        String message = new String(Arrays.copyOfRange(payload, 2, payload.length), StandardCharsets.UTF_8);
        String where = peer + " (message type " + messageType + "): ";
        return switch (code) {
            case 1 -> new RemoteHandlerException(message);
            case 2 -> new RemoteHandlerException(where + "no handler registered: " + message);
            case 3 -> new NotDeliveredException(where + "peer overloaded: " + message, null);
            case 4 -> new RemoteHandlerException(where + "response too large: " + message);
            default -> new RemoteHandlerException(where + "error code " + code + ": " + message);
        };
    }
}
