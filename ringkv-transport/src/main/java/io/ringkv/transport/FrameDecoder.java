package io.ringkv.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Bytes to {@link Frame}s, enforcing docs/design/wire-protocol.md ("Frame layout" and "Protocol
 * violations"). The header is validated before the payload is awaited, so garbage is rejected
 * after at most 28 bytes (magic and version as soon as their bytes arrive) and an oversized
 * length is refused without buffering it. On any violation the connection is closed and every
 * later byte on it is discarded.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private final TransportStats stats;
    private boolean broken;

    FrameDecoder(int maxFrameBytes, TransportStats stats) {
        this.maxFrameBytes = maxFrameBytes;
        this.stats = stats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        String violation = checkHeader(in);
        if (violation == null && in.readableBytes() >= Frame.HEADER_BYTES) {
            violation = decodeFrame(in, out);
        }
        if (violation != null) {
            broken = true;
            in.skipBytes(in.readableBytes());
            ProtocolViolation.closeConnection(ctx, stats, violation);
        }
    }

    /** Checks whatever part of the header has arrived; null if nothing is wrong so far. */
    private String checkHeader(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 4 && in.getInt(start) != Frame.MAGIC) {
            return String.format("bad magic 0x%08X (expected 0x%08X)", in.getInt(start), Frame.MAGIC);
        }
        if (readable >= 5 && in.getUnsignedByte(start + 4) != Frame.VERSION) {
            return "unsupported protocol version " + in.getUnsignedByte(start + 4) + " (this node speaks " + Frame.VERSION + ")";
        }
        if (readable >= 6 && FrameKind.fromCode(in.getUnsignedByte(start + 5)) == null) {
            return "unknown frame kind " + in.getUnsignedByte(start + 5);
        }
        if (readable >= 8 && in.getUnsignedShort(start + 6) != 0) {
            return "reserved bytes are 0x" + Integer.toHexString(in.getUnsignedShort(start + 6)) + ", must be 0";
        }
        return null;
    }

    /** With a full header available: validates it, and emits the frame once all its bytes are in. */
    private String decodeFrame(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        FrameKind kind = FrameKind.fromCode(in.getUnsignedByte(start + 5));
        long requestId = in.getLong(start + 8);
        int messageType = in.getInt(start + 16);
        long deadlineMillis = in.getUnsignedInt(start + 20);
        long payloadBytes = in.getUnsignedInt(start + 24);
        if (Frame.OVERHEAD_BYTES + payloadBytes > maxFrameBytes) {
            return "frame of " + (Frame.OVERHEAD_BYTES + payloadBytes) + " bytes exceeds maxFrameBytes " + maxFrameBytes;
        }
        if (kind == FrameKind.REQUEST && requestId == 0) {
            return "REQUEST with request id 0";
        }
        if (kind == FrameKind.REQUEST && deadlineMillis == 0) {
            return "REQUEST with deadline 0";
        }
        if (kind != FrameKind.REQUEST && deadlineMillis != 0) {
            return kind + " with non-zero deadline " + deadlineMillis;
        }
        int checkedBytes = Frame.HEADER_BYTES + (int) payloadBytes;
        if (in.readableBytes() < checkedBytes + Frame.CHECKSUM_BYTES) {
            return null; // wait for the rest
        }
        CRC32C crc = new CRC32C();
        crc.update(in.nioBuffer(start, checkedBytes));
        long expected = in.getUnsignedInt(start + checkedBytes);
        if (crc.getValue() != expected) {
            return String.format("checksum mismatch on %s frame: frame says 0x%08X, computed 0x%08X",
                    kind, expected, crc.getValue());
        }
        byte[] payload = new byte[(int) payloadBytes];
        in.getBytes(start + Frame.HEADER_BYTES, payload);
        in.skipBytes(checkedBytes + Frame.CHECKSUM_BYTES);
        stats.framesIn.increment();
        stats.bytesIn.add(checkedBytes + Frame.CHECKSUM_BYTES);
        out.add(new Frame(kind, requestId, messageType, deadlineMillis, payload));
        return null;
    }
}
