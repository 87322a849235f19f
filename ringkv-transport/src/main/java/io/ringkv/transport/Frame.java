package io.ringkv.transport;

import java.util.Objects;

/**
 * One decoded frame. The byte layout is specified in docs/design/wire-protocol.md; the constants
 * here are the offsets and sizes from its "Frame layout" table.
 *
 * @param requestId      0 for HELLO; the request's id otherwise
 * @param messageType    0 for HELLO; the cluster's message type otherwise
 * @param deadlineMillis REQUEST: milliseconds left when written (1 .. 2^32-1); 0 for every other kind
 */
record Frame(FrameKind kind, long requestId, int messageType, long deadlineMillis, byte[] payload) {

    /** "RKVN". */
    static final int MAGIC = 0x524B564E;
    static final int VERSION = 1;
    static final int HEADER_BYTES = 28;
    static final int CHECKSUM_BYTES = 4;
    /** Header plus checksum trailer: a frame is {@code OVERHEAD_BYTES + payload length} bytes. */
    static final int OVERHEAD_BYTES = HEADER_BYTES + CHECKSUM_BYTES;
    static final long MAX_DEADLINE_MILLIS = 0xFFFF_FFFFL;

    Frame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    static Frame hello(byte[] payload) {
        return new Frame(FrameKind.HELLO, 0, 0, 0, payload);
    }

    static Frame request(long requestId, int messageType, long remainingMillis, byte[] payload) {
        long clamped = Math.min(Math.max(remainingMillis, 1), MAX_DEADLINE_MILLIS);
        return new Frame(FrameKind.REQUEST, requestId, messageType, clamped, payload);
    }

    static Frame response(long requestId, int messageType, byte[] payload) {
        return new Frame(FrameKind.RESPONSE, requestId, messageType, 0, payload);
    }

    static Frame error(long requestId, int messageType, ErrorCode code, String message) {
        return new Frame(FrameKind.ERROR, requestId, messageType, 0, code.encode(message));
    }

    int wireBytes() {
        return OVERHEAD_BYTES + payload.length;
    }

    @Override
    public String toString() {
        return kind + "{id=" + requestId + ", type=" + messageType + ", deadlineMillis=" + deadlineMillis
                + ", payloadBytes=" + payload.length + "}";
    }
}
