package io.ringkv.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.zip.CRC32C;

/** {@link Frame}s to bytes, exactly as docs/design/wire-protocol.md lays them out. */
final class FrameEncoder extends MessageToByteEncoder<Frame> {
    private final int maxFrameBytes;
    private final TransportStats stats;

    FrameEncoder(int maxFrameBytes, TransportStats stats) {
        super(Frame.class);
        this.maxFrameBytes = maxFrameBytes;
        this.stats = stats;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        return ctx.alloc().ioBuffer(frame.wireBytes());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        if (frame.wireBytes() > maxFrameBytes) {
            // Callers check sizes first; this guards the peer from a frame it would reject anyway.
            throw new IllegalArgumentException("frame of " + frame.wireBytes() + " bytes exceeds maxFrameBytes " + maxFrameBytes);
        }
        int start = out.writerIndex();
        out.writeInt(Frame.MAGIC)
                .writeByte(Frame.VERSION)
                .writeByte(frame.kind().code)
                .writeShort(0)
                .writeLong(frame.requestId())
                .writeInt(frame.messageType())
                .writeInt((int) frame.deadlineMillis())
                .writeInt(frame.payload().length)
                .writeBytes(frame.payload());
        CRC32C crc = new CRC32C();
        crc.update(out.nioBuffer(start, out.writerIndex() - start));
        out.writeInt((int) crc.getValue());
        stats.framesOut.increment();
        stats.bytesOut.add(frame.wireBytes());
    }
}
